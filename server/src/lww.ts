import type { Change } from '../../contract/sync';

/** A record as the server merged it: each field's value and the clock of the change that wrote it. */
export interface RecordState {
  fields: Record<string, unknown>;
  clocks: Record<string, string>;
}

/**
 * Applies one valid change to a record, field by field: a field takes the change's value when the change's
 * clock is later than the clock that wrote the field (HLC strings compare as the total order: wall time,
 * counter, then device id, so a tie between two devices goes the same way everywhere). A delete and a restore
 * are a write of the deletion field like any other, and updates never write it, so a delete survives every
 * concurrent edit. Returns the new state (the given one is not modified) and, for the fields where the change
 * lost, the clock that beat it; the losing values themselves stay in the change, which the server keeps.
 */
export function applyToRecord(state: RecordState | undefined, change: Change): { state: RecordState; lost: Record<string, string> | null } {
  const fields = { ...state?.fields };
  const clocks = { ...state?.clocks };
  let lost: Record<string, string> | null = null;
  for (const [field, { new: value }] of Object.entries(change.changes)) {
    const current = clocks[field];
    if (current === undefined || change.hlc > current) {
      fields[field] = value;
      clocks[field] = change.hlc;
    } else if (current !== change.hlc) {
      (lost ??= {})[field] = current;
    }
  }
  return { state: { fields, clocks }, lost };
}

/**
 * How a record's clocks are stored: the clock most of its fields share (a create writes every field with one
 * clock) under `*`, and only the fields written later under their own names. With device ids in every clock,
 * spelling out each field's clock made the stored clocks two to three times the size of the values.
 */
export function packClocks(clocks: Record<string, string>): Record<string, string> {
  const counts = new Map<string, number>();
  for (const hlc of Object.values(clocks)) counts.set(hlc, (counts.get(hlc) ?? 0) + 1);
  let common: string | undefined;
  for (const [hlc, count] of counts) if (common === undefined || count > counts.get(common)!) common = hlc;
  if (common === undefined) return {};
  const packed: Record<string, string> = { '*': common };
  for (const [field, hlc] of Object.entries(clocks)) if (hlc !== common) packed[field] = hlc;
  return packed;
}

/** The clock of every field of a stored record (each stored field was written with a clock, so `*` covers the rest). */
export function unpackClocks(fields: Record<string, unknown>, packed: Record<string, string>): Record<string, string> {
  const clocks: Record<string, string> = {};
  for (const field of Object.keys(fields)) {
    const hlc = packed[field] ?? packed['*'];
    if (hlc !== undefined) clocks[field] = hlc;
  }
  return clocks;
}
