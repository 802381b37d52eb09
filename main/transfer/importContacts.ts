import type { Kysely } from 'kysely';
import type { FieldIssue } from '../../contract';
import { contactFieldsSchema } from '../../contract/contacts';
import { issueFromZod } from '../../contract/errors';
import { companyKey } from '../../contract/companies';
import { normalizeEmail } from '../../contract/normalize';
import { blocksAsSamePerson, colleagueKeys } from '../../contract/people';
import { normalizePhone } from '../../contract/phone';
import type { ImportWarning, ParsedImportOptions } from '../../contract/transfer';
import { createContacts, listContactsOf, setPrimaryContact, updateContact, type ContactRecord } from '../../db/repositories/contacts';
import type { DB } from '../../db/schema';
import { refreshClientSearchText } from '../../db/sync/derived';
import type { Actor } from '../../db/sync/write';
import type { HandlerContext } from '../handlers/context';
import { nonDataRows, readContactRow, type ReadContext } from './importRows';
import type { BatchOutcome, RowResult, SourceRow } from './importTypes';
import { describeWarnings, type ReportText } from './reportText';

type Contact = Omit<ContactRecord, 'seq' | 'version'> & { seq?: number; version?: number };

export interface ContactImportSession {
  ctx: HandlerContext;
  options: ParsedImportOptions;
  defaultCountry: string;
  userId: string | null;
  at: string;
  dryRun: boolean;
  fileName: string;
  headers: string[];
  readContext: ReadContext;
  text: ReportText;
}

/** The same person twice in one client, by the one same-person rule (contract/people.ts), as the Contacts tab. */
const samePerson = (a: { name: string; email_key: string | null }, b: { name: string; email_key: string | null }) => blocksAsSamePerson(colleagueKeys(a), colleagueKeys(b));

/** Contact fields a row may lack, or have unreadable, and still be a contact: only the name is required. */
const optionalContactPaths = new Set(['role', 'email', 'phone', 'notes']);

/**
 * Imports rows of a contacts file. Each row names its client by code, email or company name; the contact
 * is validated like one typed in the Contacts tab, and "the same person twice in one client" is a
 * duplicate resolved by the run's mode (skip, or update that contact; never a second copy). An optional
 * detail that cannot be read (email, phone, role, notes, the primary flag) is left out with a warning, unless
 * the run rejects such rows. A row with no client, right under one that has it, is another contact of the
 * same client (its client cell was merged over several rows in the spreadsheet it came from).
 */
export function createContactImporter(session: ContactImportSession) {
  const { ctx, options, dryRun } = session;
  // Contacts this run added or changed, per client, so later rows see them even before they are written.
  const memory = new Map<string, { contact: Contact; line: number }[]>();
  // Contacts this run created (not existing ones it updated): a row matching one is "the same as line N".
  const created = new Set<string>();
  // The client named by the row above, for a row under it that leaves its client cell empty (file order, across batches).
  let above: { line: number; ref: string; headLine: number } | null = null;
  const clientColumn = options.mapping.indexOf('client');
  const nonData = nonDataRows(session.headers);

  /** Each row's client reference, a merged or empty client cell taking the one of the row right above. */
  function withClientRefs(rows: SourceRow[]) {
    return rows.map((row) => {
      const read = readContactRow(row.cells, options.mapping, session.readContext);
      const kind = nonData(row.cells);
      const merged = (row.merged ?? []).includes(clientColumn);
      let continuesLine: number | null = null;
      let clientRef = merged ? null : read.clientRef;
      if (kind) above = null;
      else if (!clientRef && above && row.line === above.line + 1 && read.contact.name !== undefined) {
        clientRef = above.ref;
        continuesLine = above.headLine;
        above.line = row.line;
      } else above = clientRef ? { line: row.line, ref: clientRef, headLine: row.line } : null;
      return { ...row, ...read, clientRef, kind, continuesLine };
    });
  }

  // A contacts file writes each batch itself, in the transaction of its checks: its writes are few and small.
  return async function importBatch(trx: Kysely<DB>, rows: SourceRow[]): Promise<BatchOutcome> {
    const read = withClientRefs(rows);
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
              eb('name_key', 'in', refs.map(companyKey)),
            ]),
          )
          .execute()
      : [];
    const existing = await listContactsOf(trx, clients.map((c) => c.id));

    const results: RowResult[] = [];
    const inserts: Contact[] = [];
    const changed = new Map<string, { before: Contact; after: Contact; line: number; note: string }>();
    const primaries = new Map<string, string>();
    const noteOf = new Map<string, string>();

    for (const row of read) {
      const errors: FieldIssue[] = [...row.errors];
      let warnings: ImportWarning[] = [...row.warnings];
      const result = (outcome: RowResult['outcome'], sameAsLine: number | null = null): RowResult => ({
        line: row.line, cells: row.cells, outcome, errors, matches: [], sameAsLine, similarLines: [],
        warnings: outcome === 'reject' || outcome === 'skip' ? [] : warnings, continuesLine: row.continuesLine, skipReason: null, warned: false,
      });
      if (row.kind) {
        results.push({ ...result('skip'), skipReason: row.kind });
        continue;
      }

      // A code is exact; an email or a name must point at exactly one client.
      const ref = row.clientRef;
      const byCode = ref ? clients.filter((c) => c.code === ref.toUpperCase()) : [];
      const byEmail = ref ? clients.filter((c) => c.email_key === normalizeEmail(ref)) : [];
      const byName = ref ? clients.filter((c) => c.name_key === companyKey(ref)) : [];
      const candidates = byCode.length ? byCode : byEmail.length ? byEmail : byName;
      if (!ref) errors.push({ path: 'client', message: 'required' });
      else if (!candidates.length) errors.push({ path: 'client', message: 'unknown_client' });
      else if (candidates.length > 1) errors.push({ path: 'client', message: 'ambiguous_client' });

      // The Contacts tab's rules; an optional detail they refuse is left out (and not changed on an update).
      const attempt: Record<string, unknown> = { name: row.contact.name ?? '', role: row.contact.role ?? null, email: row.contact.email ?? null, phone: row.contact.phone ?? null, notes: row.contact.notes ?? null, isPrimary: row.contact.isPrimary ?? false };
      const cleared = new Set<string>();
      let parsed = contactFieldsSchema.safeParse(attempt);
      for (let retry = true; !parsed.success && retry; ) {
        retry = false;
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? '');
          if (optionalContactPaths.has(key) && !cleared.has(key)) {
            warnings.push({ path: key, ...issueFromZod(issue), value: row.values[key as 'role'] ?? String(attempt[key] ?? ''), action: 'cleared' });
            attempt[key] = null;
            cleared.add(key);
            retry = true;
          }
        }
        if (retry) parsed = contactFieldsSchema.safeParse(attempt);
      }
      if (!parsed.success) for (const issue of parsed.error.issues) errors.push({ path: String(issue.path[0] ?? ''), ...issueFromZod(issue) });
      let phoneValue: string | null = null;
      if (parsed.success) {
        const phone = normalizePhone(parsed.data.phone, row.country);
        if (phone.ok) phoneValue = phone.value;
        else {
          warnings.push({ path: 'phone', message: phone.message, value: row.values.phone ?? '', action: 'cleared' });
          cleared.add('phone');
        }
      }
      if (options.rejectUnreadable) errors.push(...warnings.splice(0).map(({ path, message }) => ({ path, message })));
      if (errors.length || !parsed.success) {
        results.push(result('reject'));
        continue;
      }

      const client = candidates[0]!;
      const fields = { name: parsed.data.name, role: parsed.data.role, email: parsed.data.email, email_key: parsed.data.email ? normalizeEmail(parsed.data.email) : null, phone: phoneValue, notes: parsed.data.notes };
      /** The row sets this detail: it has the cell, and the cell could be read. */
      const sets = (key: 'role' | 'email' | 'phone' | 'notes') => row.contact[key] !== undefined && !cleared.has(key);
      const notReadNote = () => (warnings.length ? ` ${session.text('note.notImported', { values: describeWarnings(session.text, warnings, 200) })}` : '');
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
        // Update: the row's non-empty, readable cells over the contact's values.
        warnings = warnings.map((w) => (w.action === 'cleared' || w.action === 'default' ? { ...w, action: 'kept' } : w));
        const before = changed.get(twin.id)?.before ?? { ...twin };
        Object.assign(twin, {
          name: fields.name,
          ...(sets('role') ? { role: fields.role } : {}),
          ...(sets('email') ? { email: fields.email, email_key: fields.email_key } : {}),
          ...(sets('phone') ? { phone: fields.phone } : {}),
          ...(sets('notes') ? { notes: fields.notes } : {}),
          updated_at: session.at,
        });
        if (!inserts.includes(twin as Contact)) changed.set(twin.id, { before, after: twin as Contact, line: row.line, note: session.text('note.updated', { file: session.fileName, line: row.line }) + notReadNote() });
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
      noteOf.set(contact.id, session.text('note.imported', { file: session.fileName, line: row.line }) + notReadNote());
      results.push(result('create'));
    }

    if (dryRun) return { results, plan: null };
    const actor: Actor = { userId: session.userId, deviceId: ctx.deviceId, at: session.at, newId: ctx.newId };
    await createContacts(
      trx,
      actor,
      inserts.map(({ seq: _seq, version: _version, ...c }) => ({ values: { ...c, is_primary: primaries.get(c.client_id) === c.id ? 1 : 0 }, note: noteOf.get(c.id) ?? null })),
      { skipAfter: true },
    );
    for (const [id, { after, note }] of changed) {
      await updateContact(trx, actor, id, { name: after.name, role: after.role, email: after.email, phone: after.phone, notes: after.notes }, { note });
    }
    for (const [clientId, contactId] of primaries) await setPrimaryContact(trx, actor, clientId, contactId);
    // Contacts are searchable through their client: its folded search text includes them.
    for (const clientId of new Set([...inserts.map((c) => c.client_id), ...[...changed.values()].map((c) => c.after.client_id)])) await refreshClientSearchText(trx, clientId);
    return { results, plan: null };
  };
}
