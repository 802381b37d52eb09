import type { FieldIssue } from '../../contract';
import { clientStatuses, type ClientStatus } from '../../contract/clients';
import { foldForSearch } from '../../contract/normalize';
import type { ImportAliases, ImportField, ImportWarning, MappableValueField } from '../../contract/transfer';
import { countryCode } from './countries';
import { parseImportDate, type DateOrder } from './dates';
import { foldHeader } from './mapping';

// Turns a file's cells into field values: names into ids (area, owner), words into statuses and flags,
// "20 %" or "20,5" into numbers, "24/8/20" into a date, "EE. UU." into a phone country. Pure, so the
// preview, the dry run and the import read rows identically.
//
// Two kinds of trouble: a required value that cannot be read (company name, email, area) is an error that
// rejects the row; an optional one is a warning that says what was done instead (left empty, the default),
// with the text of the file, and the caller decides whether the run rejects such rows too.

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

/**
 * What people put in a cell to say it has no value ("-", "n/a", "N/D", "ninguno", Excel's "#N/A"): read as
 * empty, with no warning, rather than as a broken phone or website. Folded.
 */
const placeholders = new Set(['-', '--', '---', '—', '–', '.', '?', 'n/a', 'na', 'n.a.', 'n/d', 's/d', 'none', 'null', 'nil', '#n/a', 'ninguno', 'ninguna', 'sin datos', 'desconocido', 'unknown', 'tbd', 'pendiente']);
// Every placeholder is short: longer text is not folded (the check runs on every cell of every row).
export const isPlaceholder = (text: string) => text.length <= 11 && placeholders.has(fold(text));

/** The non-empty cells of a row, by the field their column is mapped to (first column wins); placeholders count as empty. */
export function cellsByField(cells: string[], mapping: (ImportField | null)[]): Partial<Record<ImportField, string>> {
  const values: Partial<Record<ImportField, string>> = {};
  mapping.forEach((field, column) => {
    const value = (cells[column] ?? '').trim();
    if (field && value && !isPlaceholder(value) && values[field] === undefined) values[field] = value;
  });
  return values;
}

/**
 * The addresses in an email cell: `"ACME" <info@acme.com>` → info@acme.com, `mailto:info@acme.com` →
 * info@acme.com, "a@acme.com; b@acme.com" → both. A cell with no address at all comes back as it was, for the
 * email rule to refuse it in the user's words.
 */
export function readEmails(text: string): string[] {
  // An apostrophe may be part of an address (o'brien@…); a leading one is Excel's "keep as text" mark.
  const found = text.match(/[^\s<>"`,;:()[\]]+@[^\s<>"'`,;:()[\]]+/g)?.map((address) => address.replace(/^'+/, '').replace(/[.]+$/, '')) ?? [];
  return found.length ? [...new Set(found)] : [text];
}

/** How a row is read beyond its own cells: the order of its file's dates, today, and the default phone country. */
export interface ReadContext {
  dateOrder: DateOrder;
  /** `YYYY-MM-DD`: no date after it is accepted. */
  today: string;
  defaultCountry: string;
}

/** A row that is not data: the header again (files pasted together) or a totals line at the bottom. */
const totalsPattern = /^(grand )?(sub)?totals?\b|^totales\b|^suma\b|^sum\b|^recuento\b|^count\b/;

/** Tells data rows from the header repeated mid-file and from totals lines; `headers` are the file's. */
export function nonDataRows(headers: string[]) {
  const folded = headers.map(foldHeader);
  return (cells: string[]): 'repeated_header' | 'totals_row' | null => {
    let filled = 0;
    let first = '';
    let header = true;
    cells.forEach((cell, column) => {
      if (!cell) return;
      if (!filled++) first = cell;
      // Compared cheaply first: a data cell rarely even has its header's length.
      if (header && (cell.length < (headers[column]?.length ?? 0) / 2 || foldHeader(cell) !== folded[column])) header = false;
    });
    if (!filled) return null;
    if (header && filled >= Math.min(2, headers.length)) return 'repeated_header';
    // A totals line names no one: no email anywhere in it. Its words have no accents, so lower case is enough.
    if (totalsPattern.test(first.slice(0, 16).toLowerCase()) && !cells.some((cell) => cell.includes('@'))) return 'totals_row';
    return null;
  };
}

/** The phone country of a row: its Country cell when it names a country, else the default (with a warning when a phone depends on it). */
function readCountry(v: Partial<Record<ImportField, string>>, phoneFields: ImportField[], context: ReadContext, warnings: ImportWarning[]): string {
  if (v.country === undefined) return context.defaultCountry;
  const code = countryCode(v.country);
  if (code) return code;
  if (phoneFields.some((f) => v[f] !== undefined)) warnings.push({ path: 'country', message: 'unknown_country', value: v.country, action: 'default_country' });
  return context.defaultCountry;
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
  /** `YYYY-MM-DD`. */
  clientSince?: string;
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
  /** Required values that cannot be read: the row is rejected. */
  errors: FieldIssue[];
  /** Optional values that cannot be read, each with its text and what is done instead. */
  warnings: ImportWarning[];
  /** The row's text per field, as in the file (placeholders left out). */
  values: Partial<Record<ImportField, string>>;
  /** The phone country of the row's phones. */
  country: string;
}

function readNumber(values: Partial<Record<ImportField, string>>, field: ImportField, warnings: ImportWarning[], integer: boolean): number | undefined {
  const text = values[field];
  if (text === undefined) return undefined;
  const n = parseDecimal(text);
  if (n === null) return undefined;
  if (Number.isNaN(n) || (integer && !Number.isInteger(n))) {
    warnings.push({ path: field, message: Number.isNaN(n) ? 'invalid_number' : 'integer', value: text, action: 'cleared' });
    return undefined;
  }
  return n;
}

/** The first address of an email cell; the others are left out with a warning. */
function readEmail(values: Partial<Record<ImportField, string>>, field: ImportField, warnings: ImportWarning[]): string | undefined {
  const text = values[field];
  if (text === undefined) return undefined;
  const [first, ...others] = readEmails(text);
  if (others.length) warnings.push({ path: field, message: 'several_emails', value: text, action: 'first_kept' });
  return first;
}

/**
 * Reads a row of a clients file. An unknown area rejects the row (it is required: the user maps unknown
 * values in the wizard, or picks a default for empty cells). Unknown statuses and owners, numbers, dates and
 * countries that cannot be read are warnings: the run's default is used instead, never a guess.
 */
export function readClientRow(cells: string[], mapping: (ImportField | null)[], lookups: ImportLookups, context: ReadContext): ReadClientRow {
  const v = cellsByField(cells, mapping);
  const errors: FieldIssue[] = [];
  const warnings: ImportWarning[] = [];
  const client: ClientCells = {};
  if (v.companyName !== undefined) client.companyName = v.companyName;
  const email = readEmail(v, 'email', warnings);
  if (email !== undefined) client.email = email;
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
    else warnings.push({ path: 'status', message: 'unknown_status', value: v.status, action: 'default' });
  }
  if (v.owner !== undefined) {
    const user = lookups.users.get(fold(v.owner));
    if (!user) warnings.push({ path: 'owner', message: 'unknown_user', value: v.owner, action: 'default' });
    else client.ownerId = user.id;
  }
  const fee = readNumber(v, 'defaultFeePercent', warnings, false);
  if (fee !== undefined) client.defaultFeePercent = fee;
  const guarantee = readNumber(v, 'defaultGuaranteeDays', warnings, true);
  if (guarantee !== undefined) client.defaultGuaranteeDays = guarantee;
  const terms = readNumber(v, 'defaultPaymentTermsDays', warnings, true);
  if (terms !== undefined) client.defaultPaymentTermsDays = terms;
  if (v.clientSince !== undefined) {
    const date = parseImportDate(v.clientSince, context.dateOrder, context.today);
    if (date.ok) client.clientSince = date.value;
    else warnings.push({ path: 'clientSince', message: date.message, value: v.clientSince, action: 'today' });
  }
  const country = readCountry(v, ['phone', 'contactPhone'], context, warnings);

  const hasContact = [v.contactName, v.contactRole, v.contactEmail, v.contactPhone].some((x) => x !== undefined);
  const contactEmail = readEmail(v, 'contactEmail', warnings);
  const contact: ContactCells | null = hasContact
    ? {
        ...(v.contactName !== undefined ? { name: v.contactName } : {}),
        ...(v.contactRole !== undefined ? { role: v.contactRole } : {}),
        ...(contactEmail !== undefined ? { email: contactEmail } : {}),
        ...(v.contactPhone !== undefined ? { phone: v.contactPhone } : {}),
      }
    : null;
  return { client, contact, errors, warnings, values: v, country };
}

export interface ReadContactRow {
  /** How the row names its client: a code, an email or a company name. */
  clientRef: string | null;
  contact: ContactCells;
  errors: FieldIssue[];
  warnings: ImportWarning[];
  values: Partial<Record<ImportField, string>>;
  country: string;
}

export function readContactRow(cells: string[], mapping: (ImportField | null)[], context: ReadContext): ReadContactRow {
  const v = cellsByField(cells, mapping);
  const errors: FieldIssue[] = [];
  const warnings: ImportWarning[] = [];
  const contact: ContactCells = {};
  if (v.name !== undefined) contact.name = v.name;
  if (v.role !== undefined) contact.role = v.role;
  const email = readEmail(v, 'email', warnings);
  if (email !== undefined) contact.email = email;
  if (v.phone !== undefined) contact.phone = v.phone;
  if (v.notes !== undefined) contact.notes = v.notes;
  if (v.isPrimary !== undefined) {
    const flag = parseFlag(v.isPrimary);
    if (flag === null) warnings.push({ path: 'isPrimary', message: 'invalid_flag', value: v.isPrimary, action: 'default' });
    else contact.isPrimary = flag;
  }
  const country = readCountry(v, ['phone'], context, warnings);
  return { clientRef: v.client ?? null, contact, errors, warnings, values: v, country };
}
