import type { Kysely } from 'kysely';
import type { FieldIssue } from '../../contract';
import { candidateFieldsSchema } from '../../contract/candidates';
import { issueFromZod } from '../../contract/errors';
import { foldForSearch } from '../../contract/normalize';
import { personDecision, personKeys, personVerdict, samePersonReasons, type PersonKeys } from '../../contract/people';
import { normalizePhone } from '../../contract/phone';
import type { ImportWarning, ParsedImportOptions } from '../../contract/transfer';
import { createCandidates, findCandidatesByKeys, updateCandidate, type PersonRow } from '../../db/repositories/candidates';
import { nextCode } from '../../db/repositories/codes';
import type { DB } from '../../db/schema';
import type { Actor } from '../../db/sync/write';
import type { HandlerContext } from '../handlers/context';
import { cellsByField, nonDataRows, readEmails, type ReadContext } from './importRows';
import type { BatchOutcome, RowResult, SourceRow } from './importTypes';
import { describeWarnings, type ReportText } from './reportText';

interface CandidateImportSession {
  ctx: HandlerContext;
  options: ParsedImportOptions;
  userId: string | null;
  at: string;
  dryRun: boolean;
  fileName: string;
  headers: string[];
  readContext: ReadContext;
  text: ReportText;
  users: { id: string; name: string; email: string | null; active: number }[];
}

/** Optional fields a row may lack, or have unreadable, and still be a candidate: only the name is required. */
const optionalPaths = new Set(['email', 'phone', 'location', 'currentTitle', 'currentCompany', 'source', 'tags', 'notes', 'ownerId']);
const fold = (text: string) => foldForSearch(text).replace(/\s+/g, ' ').trim();

interface Known {
  id: string;
  code: string;
  keys: PersonKeys;
  /** Created by this run, at this line. */
  line: number | null;
  /** Stored values an update merges into. */
  values: Record<string, unknown>;
}

/**
 * Imports rows of a candidates file through the same wizard as clients and contacts. Each row is validated like
 * the candidate form, and checked against the candidates on file and the rows before it by the one same-person
 * rule (contract/people.ts): a blocking match (the same email; the same name at the same employer when an email
 * is missing) is resolved by the run's mode — skip, or update that candidate, never a second copy; a warning
 * (the same phone, a similar name at the same employer) is created and flagged in the report. Optional details
 * that cannot be read are left out with a warning, unless the run rejects such rows.
 */
export function createCandidateImporter(session: CandidateImportSession) {
  const { ctx, options, dryRun } = session;
  const nonData = nonDataRows(session.headers);
  // What this run created or updated, so later rows (and later batches) see it before or after it is written.
  const memory: Known[] = [];
  const userMap = new Map<string, string>();
  for (const user of [...session.users].sort((a, b) => a.active - b.active)) for (const name of [user.name, user.email]) if (name && user.active) userMap.set(fold(name), user.id);

  return async function importBatch(trx: Kysely<DB>, rows: SourceRow[]): Promise<BatchOutcome> {
    const read = rows.map((row) => {
      const v = cellsByField(row.cells, options.mapping);
      const warnings: ImportWarning[] = [];
      const emails = v.email === undefined ? [] : readEmails(v.email);
      if (emails.length > 1) warnings.push({ path: 'email', message: 'several_emails', value: v.email!, action: 'first_kept' });
      const attempt: Record<string, unknown> = {
        fullName: v.fullName ?? '', email: emails[0] ?? v.email ?? null, phone: v.phone ?? null, location: v.location ?? null, currentTitle: v.currentTitle ?? null,
        currentCompany: v.currentCompany ?? null, source: v.source ?? null, notes: v.notes ?? null,
        // Tags may be separated by ";" or "," (the export joins them with "; ").
        tags: v.tags ? v.tags.split(/[;,]/).map((t) => t.trim()).filter(Boolean) : [],
        ownerId: null,
      };
      if (v.owner !== undefined) {
        const owner = userMap.get(fold(v.owner));
        if (owner) attempt.ownerId = owner;
        else warnings.push({ path: 'owner', message: 'unknown_user', value: v.owner, action: 'default' });
      }
      return { row, v, warnings, attempt, kind: nonData(row.cells) };
    });

    // Everyone on file these rows may be: one indexed lookup per kind of key for the whole batch.
    const wanted = read.filter((r) => !r.kind).map((r) => personKeys({ name: String(r.attempt.fullName), email: r.attempt.email as string | null, company: r.attempt.currentCompany as string | null }));
    const onFile = await findCandidatesByKeys(trx, {
      emailKeys: [...new Set(wanted.map((k) => k.emailKey).filter((k): k is string => !!k))],
      phoneKeys: [],
      companyKeys: [...new Set(wanted.map((k) => k.companyKey).filter((k): k is string => !!k))],
    });
    const stored = (row: PersonRow): Known => ({
      id: row.id, code: row.code, line: null, values: {},
      keys: { nameKey: row.name_key, emailKey: row.email_key, phoneKey: row.phone_key, companyKey: row.company_key },
    });

    const results: RowResult[] = [];
    const inserts: { values: Record<string, unknown>; note: string }[] = [];
    const updates = new Map<string, { patch: Record<string, unknown>; note: string }>();

    for (const { row, v, warnings: readWarnings, attempt, kind } of read) {
      const errors: FieldIssue[] = [];
      let warnings = [...readWarnings];
      const result = (outcome: RowResult['outcome'], extra: Partial<RowResult> = {}): RowResult => ({
        line: row.line, cells: row.cells, outcome, errors, matches: [], sameAsLine: null, similarLines: [], continuesLine: null, skipReason: null, warned: false,
        warnings: outcome === 'reject' || outcome === 'skip' ? [] : warnings, ...extra,
      });
      if (kind) {
        results.push(result('skip', { skipReason: kind }));
        continue;
      }
      // The candidate form's rules; an optional detail they refuse is left out (and not changed on an update).
      const cleared = new Set<string>();
      let parsed = candidateFieldsSchema.safeParse(attempt);
      for (let retry = true; !parsed.success && retry; ) {
        retry = false;
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? '');
          if (optionalPaths.has(key) && !cleared.has(key)) {
            warnings.push({ path: key, ...issueFromZod(issue), value: v[key as 'email'] ?? String(attempt[key] ?? ''), action: 'cleared' });
            attempt[key] = key === 'tags' ? [] : null;
            cleared.add(key);
            retry = true;
          }
        }
        if (retry) parsed = candidateFieldsSchema.safeParse(attempt);
      }
      if (!parsed.success) for (const issue of parsed.error.issues) errors.push({ path: String(issue.path[0] ?? ''), ...issueFromZod(issue) });
      let phone: string | null = null;
      if (parsed.success && parsed.data.phone) {
        const normalized = normalizePhone(parsed.data.phone, session.readContext.defaultCountry);
        if (normalized.ok) phone = normalized.value;
        else {
          warnings.push({ path: 'phone', message: normalized.message, value: v.phone ?? '', action: 'cleared' });
          cleared.add('phone');
        }
      }
      if (options.rejectUnreadable) errors.push(...warnings.splice(0).map(({ path, message }) => ({ path, message })));
      if (errors.length || !parsed.success) {
        results.push(result('reject'));
        continue;
      }
      const data = parsed.data;
      const fields = {
        full_name: data.fullName, email: data.email, phone, location: data.location, current_title: data.currentTitle, current_company: data.currentCompany, source: data.source,
        tags: JSON.stringify(data.tags), notes: data.notes, owner_id: data.ownerId,
      };
      const keys = personKeys({ name: data.fullName, email: data.email, phone, company: data.currentCompany });
      const notReadNote = () => (warnings.length ? ` ${session.text('note.notImported', { values: describeWarnings(session.text, warnings, 200) })}` : '');

      // The run's own rows first (their latest state), then the candidates on file the run has not touched.
      const people = [...memory, ...onFile.filter((p) => !memory.some((m) => m.id === p.id)).map(stored)];
      const matched = people.map((p) => ({ p, reasons: samePersonReasons(keys, p.keys) })).filter((m) => m.reasons.length);
      const blocking = matched.filter((m) => personDecision(m.reasons) === 'block');
      const twin = blocking[0]?.p;
      const sameAsLine = twin?.line ?? null;
      if (twin) {
        if (options.duplicateMode !== 'update') {
          if (options.duplicateMode === 'create') errors.push({ path: keys.emailKey && twin.keys.emailKey === keys.emailKey ? 'email' : 'fullName', message: 'duplicate_person' });
          results.push(result(options.duplicateMode === 'create' ? 'reject' : 'skip', { sameAsLine }));
          continue;
        }
        // Update: the row's non-empty, readable cells over the candidate's values.
        warnings = warnings.map((w) => (w.action === 'cleared' || w.action === 'default' ? { ...w, action: 'kept' } : w));
        const sets = (field: string, cell: string | undefined) => cell !== undefined && !cleared.has(field);
        const patch: Record<string, unknown> = { full_name: fields.full_name };
        if (sets('email', v.email)) patch.email = fields.email;
        if (sets('phone', v.phone)) patch.phone = fields.phone;
        if (sets('location', v.location)) patch.location = fields.location;
        if (sets('currentTitle', v.currentTitle)) patch.current_title = fields.current_title;
        if (sets('currentCompany', v.currentCompany)) patch.current_company = fields.current_company;
        if (sets('source', v.source)) patch.source = fields.source;
        if (sets('tags', v.tags)) patch.tags = fields.tags;
        if (sets('notes', v.notes)) patch.notes = fields.notes;
        if (attempt.ownerId) patch.owner_id = fields.owner_id;
        const pending = inserts.find((i) => i.values.id === twin.id);
        if (pending) Object.assign(pending.values, patch);
        else updates.set(twin.id, { patch: { ...(updates.get(twin.id)?.patch ?? {}), ...patch }, note: session.text('note.updated', { file: session.fileName, line: row.line }) + notReadNote() });
        twin.keys = personKeys({ name: fields.full_name, email: (patch.email as string | null | undefined) ?? null, phone: (patch.phone as string | null | undefined) ?? null, company: (patch.current_company as string | null | undefined) ?? null });
        if (!memory.includes(twin)) memory.push(twin);
        results.push(result('update', { sameAsLine }));
        continue;
      }

      const id = ctx.newId();
      const warned = matched.length > 0;
      const lookAlikes = matched.map((m) => (m.p.line ? `line ${m.p.line}` : m.p.code)).join(', ');
      const note = session.text('note.imported', { file: session.fileName, line: row.line }) + notReadNote() + (warned ? ` Possible duplicates: ${lookAlikes}.` : '');
      inserts.push({ values: { id, ...fields, created_at: session.at, deleted_at: null }, note });
      memory.push({ id, code: '', keys, line: row.line, values: {} });
      results.push(
        result('create', {
          warned,
          matches: matched.filter((m) => m.p.line === null).map((m) => ({ id: m.p.id, code: m.p.code, companyName: '', email: '', reasons: m.reasons, ...personVerdict(m.reasons), kind: 'candidate' as const })),
          similarLines: matched.filter((m) => m.p.line !== null).map((m) => ({ line: m.p.line!, reasons: m.reasons })),
        }),
      );
    }

    if (dryRun) return { results, plan: null };
    const actor: Actor = { userId: session.userId, deviceId: ctx.deviceId, at: session.at, newId: ctx.newId };
    const rowsToCreate = [];
    for (const insert of inserts) {
      const code = await nextCode(trx, 'CD');
      rowsToCreate.push({ values: { ...insert.values, code, owner_id: insert.values.owner_id ?? session.userId } as Parameters<typeof createCandidates>[2][number]['values'], note: insert.note });
    }
    await createCandidates(trx, actor, rowsToCreate);
    for (const [id, { patch, note }] of updates) await updateCandidate(trx, actor, id, patch, { note });
    return { results, plan: null };
  };
}
