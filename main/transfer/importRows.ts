import type { FieldIssue } from '../../contract';
import { clientStatuses, type ClientStatus } from '../../contract/clients';
import { foldForSearch } from '../../contract/normalize';
import type { ImportAliases, ImportField, MappableValueField } from '../../contract/transfer';

// Turns a file's cells into field values: names into ids (area, owner), words into statuses and flags,
// "20 %" or "20,5" into numbers. Pure, so the preview, the dry run and the import read rows identically.

export interface ImportLookups {
  /** Folded area name, key or alias → area id (active areas only: new clients cannot get a retired one). */
  areas: Map<string, string>;
  /** Folded team member name or email → user. */
  users: Map<string, { id: string; active: boolean }>;
  statuses: Map<string, ClientStatus>;
}

const fold = (text: string) => foldForSearch(text).replace(/\s+/g, ' ').trim();

// Everyday words for the statuses that the UI's own labels do not cover ("Pausado", "Baja", "On hold").
const statusWords: Record<ClientStatus, string[]> = {
  active: ['activo', 'activa', 'alta', 'enabled', 'current'],
  paused: ['pausado', 'pausada', 'en pausa', 'pausa', 'on hold', 'suspended', 'suspendido', 'suspendida'],
  inactive: ['inactivo', 'inactiva', 'baja', 'de baja', 'disabled', 'former', 'closed', 'cerrado'],
};

export function buildLookups(
  areas: { id: string; key: string | null; name: string; active: number }[],
  users: { id: string; name: string; email: string | null; active: number }[],
  aliases: ImportAliases,
  valueMap: ValueMap = { area: {}, status: {}, owner: {} },
): ImportLookups {
  const areaMap = new Map<string, string>();
  for (const area of areas.filter((a) => a.active)) {
    for (const name of [area.name, area.key, area.key?.replace(/_/g, ' '), ...(aliases.areas[area.id] ?? [])]) if (name) areaMap.set(fold(name), area.id);
  }
  const userMap = new Map<string, { id: string; active: boolean }>();
  // Former members first, so an active member with the same name overwrites them: only they can own clients.
  for (const user of [...users].sort((a, b) => a.active - b.active)) {
    for (const name of [user.name, user.email]) if (name) userMap.set(fold(name), { id: user.id, active: user.active === 1 });
  }
  const statusMap = new Map<string, ClientStatus>();
  for (const status of clientStatuses) {
    statusMap.set(status, status);
    for (const alias of [...statusWords[status], ...(aliases.statuses[status] ?? [])]) statusMap.set(fold(alias), status);
  }
  // What the user chose for values nothing else recognised comes last and wins.
  const knownArea = new Set(areas.filter((a) => a.active).map((a) => a.id));
  for (const [value, id] of Object.entries(valueMap.area)) if (knownArea.has(id)) areaMap.set(fold(value), id);
  for (const [value, status] of Object.entries(valueMap.status)) statusMap.set(fold(value), status);
  for (const [value, id] of Object.entries(valueMap.owner)) {
    const user = users.find((u) => u.id === id);
    if (user) userMap.set(fold(value), { id, active: user.active === 1 });
  }
  return { areas: areaMap, users: userMap, statuses: statusMap };
}

export type ValueMap = { area: Record<string, string>; status: Record<string, ClientStatus>; owner: Record<string, string> };

/** Distinct values of a column (most frequent first) and what each reads as: the list the user maps unknown values from. */
export function distinctValues(rows: string[][], column: number, field: MappableValueField, lookups: ImportLookups) {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = (row[column] ?? '').trim();
    if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const read = (value: string): string | null => {
    const key = fold(value);
    if (field === 'area') return lookups.areas.get(key) ?? null;
    if (field === 'status') return lookups.statuses.get(key) ?? null;
    return lookups.users.get(key)?.id ?? null;
  };
  const values = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, count]) => ({ value, count, match: read(value) }));
  // Unrecognised values first: they are the ones that need an answer.
  return { values: [...values.filter((v) => !v.match), ...values.filter((v) => v.match)].slice(0, 200), distinct: values.length };
}

/** "20", "20 %", "20,5", "1.234,5" and "1,234.5" → numbers; the last separator is the decimal one. */
export function parseDecimal(text: string): number | null {
  let t = text.replace(/[\s%\u00a0]/g, '');
  if (!t) return null;
  const comma = t.lastIndexOf(',');
  const dot = t.lastIndexOf('.');
  if (comma > dot) t = t.replace(/\./g, '').replace(',', '.');
  else if (dot > comma && comma >= 0) t = t.replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
}

const truthy = new Set(['yes', 'y', 'true', '1', 'x', 'si', 's', 'primary', 'principal', 'verdadero']);
const falsy = new Set(['no', 'n', 'false', '0', 'falso', '-']);

export function parseFlag(text: string): boolean | null {
  const t = fold(text);
  if (!t) return null;
  if (truthy.has(t)) return true;
  if (falsy.has(t)) return false;
  return null;
}

/** The non-empty cells of a row, by the field their column is mapped to (first column wins). */
export function cellsByField(cells: string[], mapping: (ImportField | null)[]): Partial<Record<ImportField, string>> {
  const values: Partial<Record<ImportField, string>> = {};
  mapping.forEach((field, column) => {
    const value = (cells[column] ?? '').trim();
    if (field && value && values[field] === undefined) values[field] = value;
  });
  return values;
}

/** Client values a row sets: only what its cells say (defaults are the caller's business). */
export interface ClientCells {
  companyName?: string;
  email?: string;
  areaId?: string;
  phone?: string;
  website?: string;
  comments?: string;
  status?: ClientStatus;
  ownerId?: string;
  defaultFeePercent?: number;
  defaultGuaranteeDays?: number;
  defaultPaymentTermsDays?: number;
}

export interface ContactCells {
  name?: string;
  role?: string;
  email?: string;
  phone?: string;
  isPrimary?: boolean;
  notes?: string;
}

export interface ReadClientRow {
  client: ClientCells;
  contact: ContactCells | null;
  errors: FieldIssue[];
}

function readNumber(values: Partial<Record<ImportField, string>>, field: ImportField, errors: FieldIssue[], integer: boolean): number | undefined {
  const text = values[field];
  if (text === undefined) return undefined;
  const n = parseDecimal(text);
  if (n === null) return undefined;
  if (Number.isNaN(n)) {
    errors.push({ path: field, message: 'invalid_number' });
    return undefined;
  }
  if (integer && !Number.isInteger(n)) {
    errors.push({ path: field, message: 'integer' });
    return undefined;
  }
  return n;
}

/** Reads a row of a clients file. Unknown areas, owners and statuses are errors, never silently replaced. */
export function readClientRow(cells: string[], mapping: (ImportField | null)[], lookups: ImportLookups): ReadClientRow {
  const v = cellsByField(cells, mapping);
  const errors: FieldIssue[] = [];
  const client: ClientCells = {};
  if (v.companyName !== undefined) client.companyName = v.companyName;
  if (v.email !== undefined) client.email = v.email;
  if (v.phone !== undefined) client.phone = v.phone;
  if (v.website !== undefined) client.website = v.website;
  if (v.comments !== undefined) client.comments = v.comments;
  if (v.area !== undefined) {
    const id = lookups.areas.get(fold(v.area));
    if (id) client.areaId = id;
    else errors.push({ path: 'area', message: 'unknown_area' });
  }
  if (v.status !== undefined) {
    const status = lookups.statuses.get(fold(v.status));
    if (status) client.status = status;
    else errors.push({ path: 'status', message: 'unknown_status' });
  }
  if (v.owner !== undefined) {
    const user = lookups.users.get(fold(v.owner));
    if (!user) errors.push({ path: 'owner', message: 'unknown_user' });
    else client.ownerId = user.id;
  }
  const fee = readNumber(v, 'defaultFeePercent', errors, false);
  if (fee !== undefined) client.defaultFeePercent = fee;
  const guarantee = readNumber(v, 'defaultGuaranteeDays', errors, true);
  if (guarantee !== undefined) client.defaultGuaranteeDays = guarantee;
  const terms = readNumber(v, 'defaultPaymentTermsDays', errors, true);
  if (terms !== undefined) client.defaultPaymentTermsDays = terms;

  const hasContact = [v.contactName, v.contactRole, v.contactEmail, v.contactPhone].some((x) => x !== undefined);
  const contact: ContactCells | null = hasContact
    ? {
        ...(v.contactName !== undefined ? { name: v.contactName } : {}),
        ...(v.contactRole !== undefined ? { role: v.contactRole } : {}),
        ...(v.contactEmail !== undefined ? { email: v.contactEmail } : {}),
        ...(v.contactPhone !== undefined ? { phone: v.contactPhone } : {}),
      }
    : null;
  return { client, contact, errors };
}

export interface ReadContactRow {
  /** How the row names its client: a code, an email or a company name. */
  clientRef: string | null;
  contact: ContactCells;
  errors: FieldIssue[];
}

export function readContactRow(cells: string[], mapping: (ImportField | null)[]): ReadContactRow {
  const v = cellsByField(cells, mapping);
  const errors: FieldIssue[] = [];
  const contact: ContactCells = {};
  if (v.name !== undefined) contact.name = v.name;
  if (v.role !== undefined) contact.role = v.role;
  if (v.email !== undefined) contact.email = v.email;
  if (v.phone !== undefined) contact.phone = v.phone;
  if (v.notes !== undefined) contact.notes = v.notes;
  if (v.isPrimary !== undefined) {
    const flag = parseFlag(v.isPrimary);
    if (flag === null) errors.push({ path: 'isPrimary', message: 'invalid_flag' });
    else contact.isPrimary = flag;
  }
  return { clientRef: v.client ?? null, contact, errors };
}
