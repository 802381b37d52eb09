import type { Kysely } from 'kysely';
import type { FieldIssue } from '../../contract';
import { contactFieldsSchema } from '../../contract/contacts';
import { issueFromZod } from '../../contract/errors';
import { normalizeCompanyName, normalizeEmail } from '../../contract/normalize';
import { normalizePhone } from '../../contract/phone';
import type { ParsedImportOptions } from '../../contract/transfer';
import { createContacts, listContactsOf, setPrimaryContact, updateContact, type ContactRecord } from '../../db/repositories/contacts';
import type { DB } from '../../db/schema';
import { refreshClientSearchText } from '../../db/sync/derived';
import type { Actor } from '../../db/sync/write';
import type { HandlerContext } from '../handlers/context';
import { readContactRow } from './importRows';
import type { BatchOutcome, RowResult, SourceRow } from './importTypes';

type Contact = Omit<ContactRecord, 'seq' | 'version'> & { seq?: number; version?: number };

export interface ContactImportSession {
  ctx: HandlerContext;
  options: ParsedImportOptions;
  defaultCountry: string;
  userId: string | null;
  at: string;
  dryRun: boolean;
  fileName: string;
}

/** The same person twice in one client: the same email, or the same name when either has no email (as the Contacts tab). */
const samePerson = (a: { name: string; email_key: string | null }, b: { name: string; email_key: string | null }) =>
  a.email_key && b.email_key ? a.email_key === b.email_key : normalizeCompanyName(a.name) === normalizeCompanyName(b.name);

/**
 * Imports rows of a contacts file. Each row names its client by code, email or company name; the contact
 * is validated like one typed in the Contacts tab, and "the same person twice in one client" is a
 * duplicate resolved by the run's mode (skip, or update that contact; never a second copy).
 */
export function createContactImporter(session: ContactImportSession) {
  const { ctx, options, dryRun } = session;
  // Contacts this run added or changed, per client, so later rows see them even before they are written.
  const memory = new Map<string, { contact: Contact; line: number }[]>();
  // Contacts this run created (not existing ones it updated): a row matching one is "the same as line N".
  const created = new Set<string>();

  // A contacts file writes each batch itself, in the transaction of its checks: its writes are few and small.
  return async function importBatch(trx: Kysely<DB>, rows: SourceRow[]): Promise<BatchOutcome> {
    const read = rows.map((row) => ({ ...row, ...readContactRow(row.cells, options.mapping) }));
    const refs = [...new Set(read.map((r) => r.clientRef).filter((r): r is string => !!r))];
    const clients = refs.length
      ? await trx
          .selectFrom('clients')
          .select(['id', 'code', 'company_name', 'email', 'email_key', 'name_key'])
          .where('archived_at', 'is', null)
          .where((eb) =>
            eb.or([
              eb('code', 'in', refs.map((r) => r.toUpperCase())),
              eb('email_key', 'in', refs.map(normalizeEmail)),
              eb('name_key', 'in', refs.map(normalizeCompanyName)),
            ]),
          )
          .execute()
      : [];
    const existing = await listContactsOf(trx, clients.map((c) => c.id));

    const results: RowResult[] = [];
    const inserts: Contact[] = [];
    const changed = new Map<string, { before: Contact; after: Contact; line: number }>();
    const primaries = new Map<string, string>();
    const lineOf = new Map<string, number>();

    for (const row of read) {
      const errors: FieldIssue[] = [...row.errors];
      const result = (outcome: RowResult['outcome'], sameAsLine: number | null = null): RowResult => ({ line: row.line, cells: row.cells, outcome, errors, matches: [], sameAsLine, similarLines: [], warned: false });

      // A code is exact; an email or a name must point at exactly one client.
      const ref = row.clientRef;
      const byCode = ref ? clients.filter((c) => c.code === ref.toUpperCase()) : [];
      const byEmail = ref ? clients.filter((c) => c.email_key === normalizeEmail(ref)) : [];
      const byName = ref ? clients.filter((c) => c.name_key === normalizeCompanyName(ref)) : [];
      const candidates = byCode.length ? byCode : byEmail.length ? byEmail : byName;
      if (!ref) errors.push({ path: 'client', message: 'required' });
      else if (!candidates.length) errors.push({ path: 'client', message: 'unknown_client' });
      else if (candidates.length > 1) errors.push({ path: 'client', message: 'ambiguous_client' });

      const parsed = contactFieldsSchema.safeParse({ name: row.contact.name ?? '', role: row.contact.role ?? null, email: row.contact.email ?? null, phone: row.contact.phone ?? null, notes: row.contact.notes ?? null, isPrimary: row.contact.isPrimary ?? false });
      if (!parsed.success) for (const issue of parsed.error.issues) errors.push({ path: String(issue.path[0] ?? ''), ...issueFromZod(issue) });
      const phone = parsed.success ? normalizePhone(parsed.data.phone, session.defaultCountry) : null;
      if (phone && !phone.ok) errors.push({ path: 'phone', message: phone.message });
      if (errors.length || !parsed.success || !phone?.ok) {
        results.push(result('reject'));
        continue;
      }

      const client = candidates[0]!;
      const fields = { name: parsed.data.name, role: parsed.data.role, email: parsed.data.email, email_key: parsed.data.email ? normalizeEmail(parsed.data.email) : null, phone: phone.value, notes: parsed.data.notes };
      const fromRun = memory.get(client.id) ?? [];
      const runTwin = fromRun.find((k) => samePerson(k.contact, fields));
      const dbTwin = existing.find((k) => k.client_id === client.id && samePerson(k, fields) && !fromRun.some((r) => r.contact.id === k.id));
      const twin = runTwin?.contact ?? dbTwin;
      // Decided by what this run created, not by what the database holds: a dry run (nothing written) and a
      // real run (earlier batches committed) then give the same reason.
      const sameAsLine = runTwin && created.has(runTwin.contact.id) ? runTwin.line : null;

      if (twin) {
        if (options.duplicateMode === 'skip') {
          results.push(result('skip', sameAsLine));
          continue;
        }
        if (options.duplicateMode === 'create') {
          // A second copy of the same person is never allowed, whatever the run's mode.
          errors.push({ path: fields.email_key ? 'email' : 'name', message: 'duplicate_contact' });
          results.push(result('reject', sameAsLine));
          continue;
        }
        // Update: the row's non-empty cells over the contact's values.
        const before = changed.get(twin.id)?.before ?? { ...twin };
        Object.assign(twin, {
          name: fields.name,
          ...(row.contact.role !== undefined ? { role: fields.role } : {}),
          ...(row.contact.email !== undefined ? { email: fields.email, email_key: fields.email_key } : {}),
          ...(row.contact.phone !== undefined ? { phone: fields.phone } : {}),
          ...(row.contact.notes !== undefined ? { notes: fields.notes } : {}),
          updated_at: session.at,
        });
        if (!inserts.includes(twin as Contact)) changed.set(twin.id, { before, after: twin as Contact, line: row.line });
        if (row.contact.isPrimary) primaries.set(client.id, twin.id);
        if (!fromRun.some((r) => r.contact.id === twin.id)) memory.set(client.id, [...fromRun, { contact: twin as Contact, line: row.line }]);
        results.push(result('update', sameAsLine));
        continue;
      }

      const hasAny = existing.some((k) => k.client_id === client.id) || fromRun.length > 0;
      const contact: Contact = { id: ctx.newId(), client_id: client.id, ...fields, is_primary: 0, created_at: session.at, updated_at: session.at, deleted_at: null };
      inserts.push(contact);
      created.add(contact.id);
      // The first contact of a client is its primary one, as in the Contacts tab.
      if (row.contact.isPrimary || (!hasAny && !primaries.has(client.id))) primaries.set(client.id, contact.id);
      memory.set(client.id, [...fromRun, { contact, line: row.line }]);
      lineOf.set(contact.id, row.line);
      results.push(result('create'));
    }

    if (dryRun) return { results, plan: null };
    const actor: Actor = { userId: session.userId, deviceId: ctx.deviceId, at: session.at, newId: ctx.newId };
    await createContacts(
      trx,
      actor,
      inserts.map(({ seq: _seq, version: _version, ...c }) => ({ values: { ...c, is_primary: primaries.get(c.client_id) === c.id ? 1 : 0 }, note: `Imported from ${session.fileName}, line ${lineOf.get(c.id)}.` })),
      { skipAfter: true },
    );
    for (const [id, { after, line }] of changed) {
      await updateContact(trx, actor, id, { name: after.name, role: after.role, email: after.email, phone: after.phone, notes: after.notes }, { note: `Updated from ${session.fileName}, line ${line}.` });
    }
    for (const [clientId, contactId] of primaries) await setPrimaryContact(trx, actor, clientId, contactId);
    // Contacts are searchable through their client: its folded search text includes them.
    for (const clientId of new Set([...inserts.map((c) => c.client_id), ...[...changed.values()].map((c) => c.after.client_id)])) await refreshClientSearchText(trx, clientId);
    return { results, plan: null };
  };
}
