import type { Kysely } from 'kysely';
import type { FieldIssue } from '../../contract';
import { clientFieldsSchema } from '../../contract/clients';
import { contactFieldsSchema } from '../../contract/contacts';
import { issueFromZod, type DuplicateMatch } from '../../contract/errors';
import { normalizeEmail } from '../../contract/normalize';
import { blocksAsSamePerson, colleagueKeys } from '../../contract/people';
import { normalizePhone } from '../../contract/phone';
import { entityFields } from '../../contract/sync';
import type { ImportField, ImportWarning, ParsedImportOptions } from '../../contract/transfer';
import { companyMatchKeys } from '../../contract/companies';
import type { ClientRecord } from '../../db/repositories/clients';
import { clientKeys } from '../../db/sync/matchKeys';
import { listContactsOf } from '../../db/repositories/contacts';
import type { DB } from '../../db/schema';
import type { HandlerContext } from '../handlers/context';
import type { ClientWritePlan, NewClient, NewContact } from './clientWrites';
import { nonDataRows, readClientRow, type ClientCells, type ContactCells, type ImportLookups, type ReadClientRow, type ReadContext } from './importRows';
import { CompanyIndex, compareCompanies, findCandidates, profileOf, toMatch, type Company, type Verdict } from '../duplicates/companies';
import type { BatchOutcome, RowResult, SourceRow } from './importTypes';
import { describeWarnings, type ReportText } from './reportText';

/** A client a row may land on: one already in the database, or one an earlier row of this run created. */
interface Target {
  record: NewClient & { seq?: number };
  /** Created by this run and not yet written (this batch, or any batch of a dry run). */
  pending: boolean;
  /** The line that created it, when this run did. */
  line: number | null;
  contacts: { name: string; email: string | null; email_key: string | null }[];
}

export interface ClientImportSession {
  ctx: HandlerContext;
  options: ParsedImportOptions;
  lookups: ImportLookups;
  defaultCountry: string;
  userId: string | null;
  at: string;
  dryRun: boolean;
  fileName: string;
  /** The file's header row: a row that repeats it mid-file is not data. */
  headers: string[];
  /** How dates and countries of this file are read (see ReadContext). */
  readContext: ReadContext;
  /** The words of history notes, in the user's language (the report's words). */
  text: ReportText;
}

/** Field paths of the shared client schema → the import fields the user mapped. */
const clientPathToField: Record<string, string> = { areaId: 'area', ownerId: 'owner' };
const contactPathToField: Record<string, string> = { name: 'contactName', role: 'contactRole', email: 'contactEmail', phone: 'contactPhone' };
/** Client fields a row may lack, or have unreadable, and still be a client (the modal requires the others). */
const optionalClientPaths = new Set(['phone', 'website', 'comments', 'status', 'ownerId', 'defaultFeePercent', 'defaultGuaranteeDays', 'defaultPaymentTermsDays']);
/** Client cells a row that only adds a contact cannot use: its client is the one of the rows above. */
const clientLevelFields: ImportField[] = ['area', 'phone', 'website', 'comments', 'status', 'owner', 'clientSince', 'defaultFeePercent', 'defaultGuaranteeDays', 'defaultPaymentTermsDays'];

type ClientInput = Record<string, unknown>;
/** The schema's fields of a stored client, as the values an unreadable cell leaves in place on an update. */
const inputOf = (record: NewClient): ClientInput => ({
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

/** Noon UTC: the same calendar day on every continent's clock (a list shows it in the user's time zone). */
const dateToInstant = (date: string) => `${date}T12:00:00.000Z`;

/**
 * The client a group of rows belongs to, while the rows go on: a spreadsheet kept by hand often has the company
 * in its first row and more contact people in the rows right under it, with the company cell merged (Excel)
 * or left empty (a merged cell saved as CSV keeps its value in the first row only).
 */
interface Group {
  /** The last line of the group so far: only the line right under it can continue it. */
  line: number;
  /** The line of the company's row. */
  headLine: number;
  outcome: RowResult['outcome'];
  target: Target | null;
  values: ReadClientRow['values'];
}

/**
 * Checks rows of a clients file, one batch at a time, and says what to write for each batch (a plan the
 * import's writer commits in one transaction). Each row runs the same rules as the client modal: the shared
 * schema, the phone rules, and the duplicate rules, where the blocking ones (same email or name) are resolved
 * by the run's mode and the warnings (same domain, similar name) are recorded in the history. Rows of the
 * same file that match each other are treated like any duplicate.
 *
 * Every client this run created or updated is looked up in the run's own memory, never in the database,
 * and the database is read as it was before the run: so a dry run (which writes nothing) and the real run
 * (whose earlier batches are committed, or being committed while this batch is checked) reach the same
 * outcome for every row, wherever batches split.
 */
export function createClientImporter(session: ClientImportSession) {
  const { ctx, options, lookups, dryRun } = session;
  // What this run created or updated, by id and in the duplicate engine's in-memory index (as the run left
  // them), for rows further down: checked against each other exactly as against the database.
  const touched = new Map<string, Target>();
  const touchedIndex = new CompanyIndex<Company>();
  // The group the next row may continue; rows come in file order across batches, so every run agrees.
  let group: Group | null = null;
  const nonData = nonDataRows(session.headers);
  // The history note of each contact this run adds, by contact id, until its batch is planned: the line it
  // came from (a contact of a merged group comes from its own line, not its client's), in the user's words.
  const contactNotes = new Map<string, string>();

  const remember = (target: Target) => {
    touched.set(target.record.id, target);
    touchedIndex.add(target.record);
  };

  /**
   * The engine's verdicts on a company against the database's clients (as they were before this run: the ones
   * it touched are read from its memory instead) and the clients this run created or updated.
   */
  async function verdictsFor(trx: Kysely<DB>, company: { company_name: string; email: string; website: string | null }) {
    const profile = profileOf(company);
    const fromDatabase = (await findCandidates(trx, companyMatchKeys(company), null)).filter((c) => !touched.has(c.id));
    const found: { company: Company; verdict: Verdict; target: Target | null }[] = [];
    for (const candidate of [...fromDatabase, ...touchedIndex.candidates(company)]) {
      const verdict = compareCompanies(profile, profileOf(candidate));
      if (verdict) found.push({ company: candidate, verdict, target: touched.get(candidate.id) ?? null });
    }
    return found;
  }

  /**
   * The shared schema over a row's values. An optional value it refuses becomes a warning and its fallback
   * (empty, the run's default, or the existing client's value) is checked instead; a required one is an error.
   * The phone is read in the row's country.
   */
  function validateClient(input: ClientInput, fallback: ClientInput, row: ReadClientRow) {
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
  function validateContact(cells: ContactCells, row: ReadClientRow) {
    const warnings: ImportWarning[] = [];
    const attempt: Record<string, string | null> = { name: cells.name ?? '', role: cells.role ?? null, email: cells.email ?? null, phone: cells.phone ?? null };
    const contactText = [cells.name, cells.role, cells.email, cells.phone].filter(Boolean).join(' · ');
    for (;;) {
      const parsed = contactFieldsSchema.safeParse(attempt);
      if (parsed.success) {
        const phone = normalizePhone(parsed.data.phone, row.country);
        if (!phone.ok) warnings.push({ path: 'contactPhone', message: phone.message, value: row.values.contactPhone ?? '', action: 'cleared' });
        const fields = { ...parsed.data, phone: phone.ok ? phone.value : null, email_key: parsed.data.email ? normalizeEmail(parsed.data.email) : null };
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

  // A client's contacts: the one same-person rule (contract/people.ts), as the Contacts tab.
  const samePerson = (a: { name: string; email_key: string | null }, b: { name: string; email_key: string | null }) => blocksAsSamePerson(colleagueKeys(a), colleagueKeys(b));

  /** The fields a row sets on an existing client: its own cells over what the client has. */
  function mergedInput(record: NewClient, cells: ClientCells): ClientInput {
    const stored = inputOf(record);
    return {
      companyName: cells.companyName ?? stored.companyName,
      email: cells.email ?? stored.email,
      areaId: cells.areaId ?? stored.areaId,
      phone: cells.phone ?? stored.phone,
      website: cells.website ?? stored.website,
      comments: cells.comments ?? stored.comments,
      status: cells.status ?? stored.status,
      ownerId: cells.ownerId ?? stored.ownerId,
      defaultFeePercent: cells.defaultFeePercent ?? stored.defaultFeePercent,
      defaultGuaranteeDays: cells.defaultGuaranteeDays ?? stored.defaultGuaranteeDays,
      defaultPaymentTermsDays: cells.defaultPaymentTermsDays ?? stored.defaultPaymentTermsDays,
    };
  }

  /** A field whose cell the row has itself (a cell merged down from the row above repeats that row's value). */
  const ownCell = (row: SourceRow & ReadClientRow, field: ImportField) => {
    if (row.values[field] === undefined) return false;
    const column = options.mapping.indexOf(field);
    return !(row.merged ?? []).includes(column);
  };
  /** Values not imported as written, for the history of the client they belong to. */
  const warningNote = (warnings: ImportWarning[]) => (warnings.length ? session.text('note.notImported', { values: describeWarnings(session.text, warnings, 200) }) : null);

  /**
   * The engine's matches of a row's final values, other than the clients the row lands on. Clients in the
   * database are reported as matches; clients created by earlier rows of this run are named by their line
   * (they may not be written yet, and have no code in a dry run).
   */
  async function warningsFor(trx: Kysely<DB>, company: { company_name: string; email: string; website: string | null }, skipIds: Set<string>) {
    const found: DuplicateMatch[] = [];
    const lines = new Map<number, string[]>();
    for (const { company: c, verdict, target } of await verdictsFor(trx, company)) {
      if (skipIds.has(c.id)) continue;
      if (target?.line != null) lines.set(target.line, [...new Set([...(lines.get(target.line) ?? []), ...verdict.reasons])]);
      else found.push(toMatch(c, verdict));
    }
    found.sort((a, b) => b.score - a.score);
    return { matches: found.slice(0, 10), lines: [...lines.entries()].slice(0, 10) };
  }

  return async function importBatch(trx: Kysely<DB>, rows: SourceRow[]): Promise<BatchOutcome> {
    const read = rows.map((row) => ({ ...row, ...readClientRow(row.cells, options.mapping, lookups, session.readContext) }));
    // The blocking matches of each row's own cells (the same email, the same name), looked up through the
    // engine's index; the full records of the database's ones, and their contacts when a match is updated.
    const cellsOf = (cells: ClientCells) => ({ company_name: cells.companyName ?? '', email: cells.email ?? '', website: cells.website ?? null });
    const blocking = new Map<number, { company: Company; verdict: Verdict; target: Target | null }[]>();
    for (const row of read) {
      const cells = cellsOf(row.client);
      if (!cells.company_name.trim() && !cells.email.trim()) continue;
      blocking.set(row.line, (await verdictsFor(trx, cells)).filter((v) => v.verdict.decision === 'block'));
    }
    const blockedIds = [...new Set([...blocking.values()].flatMap((list) => list.filter((v) => !v.target).map((v) => v.company.id)))];
    const existing = blockedIds.length ? await trx.selectFrom('clients').selectAll().where('id', 'in', blockedIds).execute() : [];
    const existingById = new Map(existing.map((c) => [c.id, c]));
    const wantsContacts = read.some((r) => r.contact);
    const existingContacts = wantsContacts && options.duplicateMode === 'update' ? await listContactsOf(trx, existing.map((c) => c.id)) : [];

    const creates: { target: Target; line: number; note: string | null; contact: NewContact | null }[] = [];
    const updates = new Map<string, { original: ClientRecord; target: Target; lines: number[]; notes: string[]; newContacts: NewContact[] }>();
    const results: RowResult[] = [];

    /** A row that only adds a contact to the client of the rows above it (see Group). */
    const continueGroup = (row: (typeof read)[number], head: Group): RowResult => {
      head.line = row.line;
      const base: RowResult = { line: row.line, cells: row.cells, outcome: 'contact', errors: [], matches: [], sameAsLine: null, similarLines: [], warnings: [], continuesLine: head.headLine, skipReason: null, warned: false };
      if (head.outcome === 'reject') return { ...base, outcome: 'reject', errors: [{ path: 'companyName', message: 'continues_rejected', params: { line: head.headLine } }] };
      const target = head.target;
      if (head.outcome === 'skip' || !target) return { ...base, outcome: 'skip' };
      // Its own country and contact details count; client cells that say something new cannot apply here.
      const warnings = row.warnings.filter((w) => w.path === 'country' || w.path.startsWith('contact'));
      for (const field of clientLevelFields) {
        if (ownCell(row, field) && row.values[field] !== head.values[field]) warnings.push({ path: field, message: 'contact_row', value: row.values[field]!, action: 'ignored' });
      }
      const contact = validateContact(row.contact!, row);
      warnings.push(...contact.warnings);
      const errors: FieldIssue[] = contact.missingName ? [{ path: contact.missingName.path, message: contact.missingName.message }] : [];
      if (options.rejectUnreadable) errors.push(...warnings.splice(0).map(({ path, message }) => ({ path, message })));
      if (errors.length || !contact.fields) return { ...base, outcome: 'reject', errors };
      const fields = contact.fields;
      if (target.contacts.some((k) => samePerson(k, fields))) return { ...base, outcome: 'skip', skipReason: 'existing_contact' };
      const added = newContact(target.record.id, fields, target.contacts.length === 0, row.line);
      target.contacts.push(added);
      const note = [session.text('note.contactFrom', { name: fields.name, line: row.line }), warningNote(warnings)].filter(Boolean).join(' ');
      if (target.pending) {
        const create = creates.find((c) => c.target === target);
        if (create) create.note = `${create.note ?? ''} ${note}`.trim();
      } else {
        // Written after its client: a batch before this one created it, or it was in the database.
        let update = updates.get(target.record.id);
        if (!update) updates.set(target.record.id, (update = { original: { ...(target.record as ClientRecord) }, target, lines: [], notes: [], newContacts: [] }));
        update.lines.push(row.line);
        update.notes.push(note);
        update.newContacts.push(added);
      }
      return { ...base, warnings };
    };

    for (const row of read) {
      const kind = nonData(row.cells);
      if (kind) {
        group = null;
        results.push({ line: row.line, cells: row.cells, outcome: 'skip', errors: [], matches: [], sameAsLine: null, similarLines: [], warnings: [], continuesLine: null, skipReason: kind, warned: false });
        continue;
      }
      if (group && row.line === group.line + 1 && row.contact && !ownCell(row, 'companyName') && !ownCell(row, 'email')) {
        results.push(continueGroup(row, group));
        continue;
      }
      const outcome = await checkRow(row);
      results.push(outcome.result);
      group = { line: row.line, headLine: row.line, outcome: outcome.result.outcome, target: outcome.target, values: row.values };
    }

    /** A row with its own client: what it does, and the client further rows of its group add contacts to. */
    async function checkRow(row: (typeof read)[number]): Promise<{ result: RowResult; target: Target | null }> {
      const errors = [...row.errors];
      let warnings = [...row.warnings];

      // Blocking matches: clients in the database, and clients this run already created or updated.
      const targets = new Map<string, Target>();
      const matches: DuplicateMatch[] = [];
      let sameAsLine: number | null = null;
      for (const { company, verdict, target: remembered } of blocking.get(row.line) ?? []) {
        if (remembered) {
          // A client of this run that an earlier row of this batch changed since the lookup: still the same?
          if (compareCompanies(profileOf(cellsOf(row.client)), profileOf(remembered.record))?.decision !== 'block') continue;
          targets.set(remembered.record.id, remembered);
          if (remembered.line !== null) sameAsLine ??= remembered.line;
          else matches.push(toMatch(remembered.record, verdict));
          continue;
        }
        const record = existingById.get(company.id);
        if (!record || targets.has(record.id)) continue;
        const update = updates.get(record.id);
        targets.set(record.id, update?.target ?? { record, pending: false, line: null, contacts: existingContacts.filter((k) => k.client_id === record.id) });
        matches.push(toMatch(record, verdict));
      }
      // Clients of this run created or updated after the lookup above (earlier rows of this batch).
      for (const candidate of touchedIndex.candidates(cellsOf(row.client))) {
        const remembered = touched.get(candidate.id)!;
        if (targets.has(candidate.id) || compareCompanies(profileOf(cellsOf(row.client)), profileOf(candidate))?.decision !== 'block') continue;
        targets.set(candidate.id, remembered);
        if (remembered.line !== null) sameAsLine ??= remembered.line;
        else matches.push(toMatch(remembered.record, compareCompanies(profileOf(cellsOf(row.client)), profileOf(candidate))!));
      }
      const result = (outcome: RowResult['outcome'], extra: Partial<RowResult> = {}): RowResult => ({
        line: row.line, cells: row.cells, outcome, errors, matches, sameAsLine, similarLines: [], warnings: [], continuesLine: null, skipReason: null, warned: false, ...extra,
      });
      const done = (outcome: RowResult['outcome'], extra: Partial<RowResult> = {}, target: Target | null = null) => ({ result: result(outcome, extra), target });

      let intent: 'create' | 'update' | 'skip' | 'reject' = 'create';
      if (targets.size && options.duplicateMode === 'skip') intent = 'skip';
      else if (targets.size && options.duplicateMode === 'update') intent = targets.size > 1 ? 'reject' : 'update';
      if (intent === 'skip') return done('skip');
      if (intent === 'reject') {
        errors.push({ path: 'email', message: 'several_matches' });
        return done('reject');
      }

      const target = intent === 'update' ? [...targets.values()][0]! : null;
      // What an unreadable optional cell leaves: the client's own value on an update; empty or the run's default on a create.
      const fallback: ClientInput = target
        ? inputOf(target.record)
        : { phone: null, website: null, comments: null, status: options.defaults.status, ownerId: options.defaults.ownerId ?? session.userId, defaultFeePercent: null, defaultGuaranteeDays: null, defaultPaymentTermsDays: null };
      const input = target
        ? mergedInput(target.record, row.client)
        : {
            companyName: row.client.companyName ?? '',
            email: row.client.email ?? '',
            areaId: row.client.areaId ?? options.defaults.areaId ?? '',
            phone: row.client.phone ?? null,
            website: row.client.website ?? null,
            comments: row.client.comments ?? null,
            status: row.client.status ?? fallback.status,
            ownerId: row.client.ownerId ?? fallback.ownerId,
            defaultFeePercent: row.client.defaultFeePercent ?? null,
            defaultGuaranteeDays: row.client.defaultGuaranteeDays ?? null,
            defaultPaymentTermsDays: row.client.defaultPaymentTermsDays ?? null,
          };
      if (row.client.ownerId && row.client.ownerId !== target?.record.owner_id && ![...lookups.users.values()].some((u) => u.id === row.client.ownerId && u.active)) {
        warnings.push({ path: 'owner', message: 'inactive_user', value: row.values.owner ?? '', action: 'default' });
        input.ownerId = fallback.ownerId;
      }
      const checked = validateClient(input, fallback, row);
      // A cell that could not be read (an unknown area) says so once, not again as "required".
      const readFailed = new Set(errors.map((e) => e.path));
      errors.push(...checked.errors.filter((e) => !readFailed.has(e.path)));
      warnings.push(...checked.warnings);
      let contactFields = null;
      if (row.contact) {
        const contact = validateContact(row.contact, row);
        warnings.push(...contact.warnings);
        if (contact.missingName) warnings.push({ ...contact.missingName, action: 'contact_skipped' });
        contactFields = contact.fields;
      }
      // On an update, what a cell could not say leaves the client's value as it was.
      if (target) warnings = warnings.map((w) => (w.action === 'cleared' || w.action === 'default' || w.action === 'today' ? { ...w, action: 'kept' } : w));
      if (options.rejectUnreadable) errors.push(...warnings.splice(0).map(({ path, message }) => ({ path, message })));
      const fields = checked.fields;
      if (!fields || errors.length) return done('reject');

      const { matches: resemblances, lines: similarLines } = await warningsFor(trx, { company_name: fields.companyName, email: fields.email, website: fields.website }, new Set(targets.keys()));
      const resembles = { matches: [...matches, ...resemblances], similarLines: similarLines.map(([line, reasons]) => ({ line, reasons })), warned: resemblances.length + similarLines.length > 0, warnings };
      const columns = {
        company_name: fields.companyName,
        email: fields.email,
        area_id: fields.areaId,
        phone: fields.phone,
        website: fields.website,
        comments: fields.comments,
        status: fields.status,
        owner_id: fields.ownerId,
        default_fee_percent: fields.defaultFeePercent,
        default_guarantee_days: fields.defaultGuaranteeDays,
        default_payment_terms_days: fields.defaultPaymentTermsDays,
        ...clientKeys({ company_name: fields.companyName, website: fields.website }),
        email_key: normalizeEmail(fields.email),
      };
      const notes = [
        session.text('note.imported', { file: session.fileName, line: row.line }),
        targets.size && intent === 'create' ? `Created anyway although it duplicates ${[...targets.values()].map((t) => (t.line ? `line ${t.line}` : t.record.code)).join(', ')}.` : null,
        resemblances.length || similarLines.length
          ? `Possible duplicates: ${[...resemblances.map((w) => `${w.code} ${w.companyName} (${w.reasons.join(', ')})`), ...similarLines.map(([line, reasons]) => `line ${line} (${reasons.join(', ')})`)].join('; ')}`
          : null,
        warningNote(warnings),
      ].filter(Boolean).join(' ');

      if (target) {
        // An update: the row's values over the client's, counted once per client however many rows hit it.
        const pendingUpdate = updates.get(target.record.id);
        if (!target.pending && !pendingUpdate) updates.set(target.record.id, { original: { ...(target.record as ClientRecord) }, target, lines: [], notes: [], newContacts: [] });
        Object.assign(target.record, columns, { updated_at: session.at });
        const update = updates.get(target.record.id);
        update?.lines.push(row.line);
        update?.notes.push(notes);
        if (contactFields && !target.contacts.some((k) => samePerson(k, contactFields))) {
          const contact = newContact(target.record.id, contactFields, target.contacts.length === 0, row.line);
          // A client created earlier in this batch writes its contacts with it; an existing one gets them added.
          target.contacts.push(contact);
          if (!target.pending) update?.newContacts.push(contact);
        }
        const create = target.pending ? creates.find((c) => c.target === target) : undefined;
        if (create) create.note = [create.note, `Updated from line ${row.line}.`, warningNote(warnings)].filter(Boolean).join(' ');
        remember(target);
        return done('update', resembles, target);
      }

      // A client since a day in the past keeps that day as its creation date (lists, filters and the dashboard count it there).
      const since = row.client.clientSince;
      const createdAt = since && since < session.at.slice(0, 10) ? dateToInstant(since) : session.at;
      const record: NewClient = {
        ...columns,
        id: ctx.newId(),
        code: '',
        lead_id: null,
        created_at: createdAt,
        updated_at: session.at,
        archived_at: null,
        last_activity_at: null,
        version: 1,
        search_text: '',
      };
      const contact = contactFields ? newContact(record.id, contactFields, true, row.line) : null;
      const created: Target = { record, pending: true, line: row.line, contacts: contact ? [contact] : [] };
      creates.push({ target: created, line: row.line, note: notes, contact });
      remember(created);
      return done('create', resembles, created);
    }

    const plan = dryRun ? null : planWrites(creates, updates);
    // Once this batch is written its clients are ordinary database rows for the batches that follow (the
    // writer commits batches in order, so a later batch's update of one always comes after its insert).
    for (const c of creates) c.target.pending = dryRun;
    return { results, plan };
  };

  function newContact(clientId: string, fields: { name: string; role: string | null; email: string | null; phone: string | null; email_key: string | null }, primary: boolean, line: number): NewContact {
    const id = ctx.newId();
    if (!dryRun) contactNotes.set(id, session.text('note.imported', { file: session.fileName, line }));
    return {
      id,
      client_id: clientId,
      name: fields.name,
      role: fields.role,
      email: fields.email,
      email_key: fields.email_key,
      phone: fields.phone,
      is_primary: primary ? 1 : 0,
      notes: null,
      created_at: session.at,
      updated_at: session.at,
      deleted_at: null,
    };
  }

  /** What the batch writes: its new clients with their contacts, and the changes to existing ones with their history. */
  function planWrites(
    creates: { target: Target; line: number; note: string | null; contact: NewContact | null }[],
    updates: Map<string, { original: ClientRecord; target: Target; lines: number[]; notes: string[]; newContacts: NewContact[] }>,
  ): ClientWritePlan {
    const by = { userId: session.userId, deviceId: ctx.deviceId, changedAt: session.at, fileName: session.fileName };
    const noteOf = (contact: NewContact) => {
      const note = contactNotes.get(contact.id) ?? null;
      contactNotes.delete(contact.id);
      return note;
    };
    const planned = creates.map((c) => {
      const { seq: _seq, ...record } = c.target.record;
      const contacts = c.target.contacts as NewContact[];
      return { record, contacts, line: c.line, note: c.note, contactNotes: contacts.map(noteOf) };
    });
    const changes = [...updates].map(([id, u]) => {
      const { seq: _seq, version: _version, id: _id, code: _code, created_at: _created, search_text: _search, ...after } = u.target.record as ClientRecord;
      // Synced fields only: the writer logs and bumps the version for those alone (keys and times are derived).
      const patch = Object.fromEntries(Object.entries(after).filter(([field, value]) => field in entityFields.client && (u.original[field as keyof ClientRecord] ?? null) !== (value ?? null)));
      const changed = Object.keys(patch).length > 0;
      // The writer checks this version and bumps it; later batches update from the bumped one.
      if (changed) u.target.record.version = u.original.version + 1;
      return { id, version: u.original.version, patch: changed ? patch : null, note: u.notes.join(' '), newContacts: u.newContacts, contactNotes: u.newContacts.map(noteOf), lines: u.lines };
    });
    updates.clear();
    return { creates: planned, updates: changes, by };
  }
}
