import type { Format, MessageKey, Translate } from '../i18n';

// What an edit conflict means for one form, as pure functions of three versions of its values: the record as
// the form opened it (base), as someone saved it meanwhile (current), and as the user typed it (mine). The
// editors turn records into form values with their own `toForm`, so all three compare in the form's terms
// (money in major units, dates as the pickers hold them) and read the way the form shows them.

/** Names and formats a value is shown with: the app's lists, and the names the records themselves carry. */
export interface ShowContext {
  t: Translate;
  format: Format;
  areaName(id: string): string;
  userName(id: string): string;
}

export interface ConflictField<V> {
  key: keyof V & string;
  /** The form's own label for the field. */
  label: MessageKey | ((t: Translate) => string);
  /** The value as the form shows it; by default its text, or "—" when empty. */
  show?: (values: V, ctx: ShowContext) => string;
}

export type ConflictFields<V> = readonly ConflictField<V>[];

export interface ConflictRow {
  key: string;
  label: string;
  /** What the form showed when it opened. */
  before: string;
  /** What is saved now. */
  now: string;
  /** The user's value when they changed the field too, else null. */
  mine: string | null;
  /** Both changed the field, to different values: saving would replace one of them. */
  clash: boolean;
  /** Both changed the field to the same value. */
  same: boolean;
}

type Plain = string | number | boolean | null | Plain[];

/** Values as the user means them: surrounding spaces, '' and null, 5 and "5", the order of a multi-select aside. */
function plain(value: unknown): Plain {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return null;
    return text;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(plain).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return JSON.stringify(value);
}

export function sameValue(a: unknown, b: unknown): boolean {
  const x = plain(a);
  const y = plain(b);
  // A number typed in a text-backed input ("20") equals the stored 20.
  if (typeof x === 'number' && typeof y === 'string') return String(x) === y;
  if (typeof x === 'string' && typeof y === 'number') return x === String(y);
  return JSON.stringify(x) === JSON.stringify(y);
}

export interface FieldChange<V> {
  field: ConflictField<V>;
  /** The user changed it too. */
  mineChanged: boolean;
  clash: boolean;
}

/** The fields someone else changed since the form opened, and whether the user changed each of them too. */
export function theirChanges<V>(fields: ConflictFields<V>, base: V, current: V, mine: V): FieldChange<V>[] {
  return fields
    .filter((field) => !sameValue(base[field.key], current[field.key]))
    .map((field) => {
      const mineChanged = !sameValue(base[field.key], mine[field.key]);
      return { field, mineChanged, clash: mineChanged && !sameValue(mine[field.key], current[field.key]) };
    });
}

function shown<V>(field: ConflictField<V>, values: V, ctx: ShowContext): string {
  if (field.show) return field.show(values, ctx);
  const value = values[field.key];
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  return plain(value) === null ? '—' : String(value).trim();
}

export const labelOf = <V>(field: ConflictField<V>, t: Translate) => (typeof field.label === 'function' ? field.label(t) : t(field.label));

/** What the conflict notice lists: each field changed meanwhile, with the value seen → the value now, in the form's words. */
export function conflictRows<V>(fields: ConflictFields<V>, base: V, current: V, mine: V, ctx: ShowContext): ConflictRow[] {
  return theirChanges(fields, base, current, mine).map(({ field, mineChanged, clash }) => ({
    key: field.key,
    label: labelOf(field, ctx.t),
    before: shown(field, base, ctx),
    now: shown(field, current, ctx),
    mine: clash ? shown(field, mine, ctx) : null,
    clash,
    same: mineChanged && !clash,
  }));
}

/**
 * The form after the user chose. Their changes to fields the user left alone are always taken, and the user's
 * edits of fields nobody else touched are always kept: only clashing fields differ — `theirs` (Reload) takes
 * the saved value, `mine` (Keep mine) keeps the typed one. Never a silent overwrite either way.
 */
export function mergeValues<V>(fields: ConflictFields<V>, base: V, current: V, mine: V, prefer: 'theirs' | 'mine'): V {
  const merged = { ...mine };
  for (const { field, mineChanged } of theirChanges(fields, base, current, mine)) {
    if (!mineChanged || prefer === 'theirs') merged[field.key] = current[field.key];
  }
  return merged;
}

/** id → name pairs a record carries (its owner, its area, an event's owners), for values the app's lists do not know yet. */
export function namesIn(record: unknown): Map<string, string> {
  const names = new Map<string, string>();
  if (typeof record !== 'object' || record === null) return names;
  const r = record as Record<string, unknown>;
  if (typeof r.ownerId === 'string' && typeof r.ownerName === 'string') names.set(r.ownerId, r.ownerName);
  if (typeof r.areaId === 'string' && typeof r.areaName === 'string') names.set(r.areaId, r.areaName);
  if (Array.isArray(r.owners)) for (const o of r.owners as { id?: unknown; name?: unknown }[]) if (typeof o.id === 'string' && typeof o.name === 'string') names.set(o.id, o.name);
  return names;
}
