import type { FieldIssue } from '../../contract';
import { clientFieldsSchema } from '../../contract/clients';
import { contactFieldsSchema } from '../../contract/contacts';
import { issueFromZod } from '../../contract/errors';
import { normalizeEmail } from '../../contract/normalize';
import { blocksAsSamePerson, colleagueKeys } from '../../contract/people';
import { normalizePhone } from '../../contract/phone';
import type { ImportField, ImportWarning } from '../../contract/transfer';
import type { NewClient } from './clientWrites';
import type { ClientCells, ContactCells, ReadClientRow } from './importRows';

// The client modal's and the Contacts tab's rules over a clients file's row: the shared schemas, the phone
// rules, and what an unreadable optional value gives way to. Pure: the preview, a dry run and the import
// read every row alike.

/** Field paths of the shared client schema → the import fields the user mapped. */
const clientPathToField: Record<string, string> = { areaId: 'area', ownerId: 'owner' };
const contactPathToField: Record<string, string> = { name: 'contactName', role: 'contactRole', email: 'contactEmail', phone: 'contactPhone' };
/** Client fields a row may lack, or have unreadable, and still be a client (the modal requires the others). */
const optionalClientPaths = new Set(['phone', 'website', 'comments', 'status', 'ownerId', 'defaultFeePercent', 'defaultGuaranteeDays', 'defaultPaymentTermsDays']);
/** Client cells a row that only adds a contact cannot use: its client is the one of the rows above. */
export const clientLevelFields: ImportField[] = ['area', 'phone', 'website', 'comments', 'status', 'owner', 'clientSince', 'defaultFeePercent', 'defaultGuaranteeDays', 'defaultPaymentTermsDays'];

export type ClientInput = Record<string, unknown>;
export type ContactFields = { name: string; role: string | null; email: string | null; phone: string | null; email_key: string | null };

/** The schema's fields of a stored client, as the values an unreadable cell leaves in place on an update. */
export const inputOf = (record: NewClient): ClientInput => ({
  companyName: record.company_name,
  email: record.email,
  areaId: record.area_id,
  phone: record.phone,
  website: record.website,
  comments: record.comments,
  status: record.status,
  ownerId: record.owner_id,
  defaultFeePercent: record.default_fee_percent,
  defaultGuaranteeDays: record.default_guarantee_days,
  defaultPaymentTermsDays: record.default_payment_terms_days,
});

/** The fields a row sets on an existing client: its own cells over what the client has. */
export function mergedInput(record: NewClient, cells: ClientCells): ClientInput {
  const stored = inputOf(record);
  return Object.fromEntries(Object.entries(stored).map(([key, value]) => [key, cells[key as keyof ClientCells] ?? value]));
}

/** The fields of a new client: the row's cells, and the run's defaults (`fallback`) where it has none. */
export function newClientInput(cells: ClientCells, fallback: ClientInput, defaultAreaId: string | null): ClientInput {
  return {
    companyName: cells.companyName ?? '',
    email: cells.email ?? '',
    areaId: cells.areaId ?? defaultAreaId ?? '',
    phone: cells.phone ?? null,
    website: cells.website ?? null,
    comments: cells.comments ?? null,
    status: cells.status ?? fallback.status,
    ownerId: cells.ownerId ?? fallback.ownerId,
    defaultFeePercent: cells.defaultFeePercent ?? null,
    defaultGuaranteeDays: cells.defaultGuaranteeDays ?? null,
    defaultPaymentTermsDays: cells.defaultPaymentTermsDays ?? null,
  };
}

/**
 * The shared schema over a row's values. An optional value it refuses becomes a warning and its fallback
 * (empty, the run's default, or the existing client's value) is checked instead; a required one is an error.
 * The phone is read in the row's country.
 */
export function validateClient(input: ClientInput, fallback: ClientInput, row: ReadClientRow) {
  const attempt = { ...input };
  const warnings: ImportWarning[] = [];
  for (;;) {
    const errors: FieldIssue[] = [];
    const parsed = clientFieldsSchema.safeParse(attempt);
    if (parsed.success) {
      const fields = parsed.data;
      const phone = normalizePhone(fields.phone, row.country);
      if (phone.ok) return { fields: { ...fields, phone: phone.value }, errors, warnings };
      warnings.push({ path: 'phone', message: phone.message, value: row.values.phone ?? fields.phone ?? '', action: 'cleared' });
      return { fields: { ...fields, phone: (fallback.phone as string | null) ?? null }, errors, warnings };
    }
    let retry = false;
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const field = clientPathToField[key] ?? key;
      if (optionalClientPaths.has(key) && attempt[key] !== fallback[key]) {
        warnings.push({ path: field, ...issueFromZod(issue), value: row.values[field as ImportField] ?? String(attempt[key] ?? ''), action: 'cleared' });
        attempt[key] = fallback[key];
        retry = true;
      } else errors.push({ path: field, ...issueFromZod(issue) });
    }
    if (!retry) {
      // Rejected for a required field: the phone's problem is still worth naming.
      if (!normalizePhone(attempt.phone as string | null, row.country).ok) warnings.push({ path: 'phone', message: 'invalid_phone', value: row.values.phone ?? String(attempt.phone), action: 'cleared' });
      return { fields: null, errors, warnings };
    }
  }
}

/**
 * A row's contact under the Contacts tab's rules. A detail it refuses (email, phone, role) is left out with
 * a warning; without a name there is no contact (`missingName`), which only a row that is nothing but its
 * contact turns into an error.
 */
export function validateContact(cells: ContactCells, row: ReadClientRow) {
  const warnings: ImportWarning[] = [];
  const attempt: Record<string, string | null> = { name: cells.name ?? '', role: cells.role ?? null, email: cells.email ?? null, phone: cells.phone ?? null };
  const contactText = [cells.name, cells.role, cells.email, cells.phone].filter(Boolean).join(' · ');
  for (;;) {
    const parsed = contactFieldsSchema.safeParse(attempt);
    if (parsed.success) {
      const phone = normalizePhone(parsed.data.phone, row.country);
      if (!phone.ok) warnings.push({ path: 'contactPhone', message: phone.message, value: row.values.contactPhone ?? '', action: 'cleared' });
      const fields: ContactFields = { ...parsed.data, phone: phone.ok ? phone.value : null, email_key: parsed.data.email ? normalizeEmail(parsed.data.email) : null };
      return { fields, warnings, missingName: null };
    }
    let retry = false;
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const field = contactPathToField[key] ?? key;
      if (key === 'name') return { fields: null, warnings, missingName: { path: field, ...issueFromZod(issue), value: contactText } };
      if (attempt[key] !== null) {
        warnings.push({ path: field, ...issueFromZod(issue), value: row.values[field as ImportField] ?? String(attempt[key]), action: 'cleared' });
        attempt[key] = null;
        retry = true;
      }
    }
    if (!retry) return { fields: null, warnings, missingName: null };
  }
}

/** A client's contacts: the one same-person rule (contract/people.ts), as the Contacts tab. */
export const samePerson = (a: { name: string; email_key: string | null }, b: { name: string; email_key: string | null }) => blocksAsSamePerson(colleagueKeys(a), colleagueKeys(b));
