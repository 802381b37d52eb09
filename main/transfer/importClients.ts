import type { Kysely } from 'kysely';
import type { FieldIssue } from '../../contract';
import type { DuplicateMatch } from '../../contract/errors';
import { normalizeEmail } from '../../contract/normalize';
import type { ImportField, ImportWarning, ParsedImportOptions } from '../../contract/transfer';
import type { ClientRecord } from '../../db/repositories/clients';
import { listContactsOf } from '../../db/repositories/contacts';
import type { DB } from '../../db/schema';
import { clientKeys } from '../../db/sync/matchKeys';
import { blocks, compareCompanies, toMatch } from '../duplicates/companies';
import type { HandlerContext } from '../handlers/context';
import type { NewClient, NewContact } from './clientWrites';
import { cellsOf, RunMatches, type Found, type Target } from './importClientMatches';
import { BatchWrites } from './importClientPlan';
import { clientLevelFields, inputOf, mergedInput, newClientInput, samePerson, validateClient, validateContact, type ClientInput, type ContactFields } from './importClientRules';
import { nonDataRows, readClientRow, type ImportLookups, type ReadClientRow, type ReadContext } from './importRows';
import type { BatchOutcome, RowResult, SourceRow } from './importTypes';
import { describeWarnings, type ReportText } from './reportText';

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

/** What an import run keeps from batch to batch. */
interface Run {
  session: ClientImportSession;
  matches: RunMatches;
  /** The group the next row may continue; rows come in file order across batches, so every run agrees. */
  group: Group | null;
  nonData: ReturnType<typeof nonDataRows>;
  /**
   * The history note of each contact this run adds, by contact id, until its batch is planned: the line it
   * came from (a contact of a merged group comes from its own line, not its client's), in the user's words.
   */
  contactNotes: Map<string, string>;
}

type Row = SourceRow & ReadClientRow;

/** One batch being checked: its rows' blocking matches, the database's clients they name, what it will write. */
interface Batch {
  trx: Kysely<DB>;
  blocking: Map<number, Found[]>;
  existingById: Map<string, ClientRecord>;
  existingContacts: { client_id: string; name: string; email: string | null; email_key: string | null }[];
  writes: BatchWrites;
}

/**
 * Checks rows of a clients file, one batch at a time, and says what to write for each batch (a plan the
 * import's writer commits in one transaction). Each row runs the same rules as the client modal: the shared
 * schema, the phone rules, and the duplicate rules, where the blocking ones (same email or name) are resolved
 * by the run's mode and the warnings (same domain, similar name) are recorded in the history. Rows of the
 * same file that match each other are treated like any duplicate.
 *
 * Every client this run created or updated is looked up in the run's own memory, never in the database,
 * and the database is read as it was before the run (see RunMatches): so a dry run (which writes nothing) and
 * the real run (whose earlier batches are committed, or being committed while this batch is checked) reach the
 * same outcome for every row, wherever batches split.
 */
export function createClientImporter(session: ClientImportSession) {
  const run: Run = { session, matches: new RunMatches(), group: null, nonData: nonDataRows(session.headers), contactNotes: new Map() };
  return (trx: Kysely<DB>, rows: SourceRow[]) => importBatch(run, trx, rows);
}

async function importBatch(run: Run, trx: Kysely<DB>, rows: SourceRow[]): Promise<BatchOutcome> {
  const { options, lookups, readContext, dryRun } = run.session;
  const read: Row[] = rows.map((row) => ({ ...row, ...readClientRow(row.cells, options.mapping, lookups, readContext) }));
  const batch = await openBatch(run, trx, read);
  const results: RowResult[] = [];
  for (const row of read) {
    const kind = run.nonData(row.cells);
    if (kind) {
      run.group = null;
      results.push({ ...emptyResult(row), outcome: 'skip', skipReason: kind });
      continue;
    }
    const group = run.group;
    if (group && row.line === group.line + 1 && row.contact && !ownCell(run, row, 'companyName') && !ownCell(run, row, 'email')) {
      results.push(continueGroup(run, batch, row, group));
      continue;
    }
    const outcome = await checkRow(run, batch, row);
    results.push(outcome.result);
    run.group = { line: row.line, headLine: row.line, outcome: outcome.result.outcome, target: outcome.target, values: row.values };
  }
  const { session } = run;
  const plan = dryRun ? null : batch.writes.plan({ userId: session.userId, deviceId: session.ctx.deviceId, changedAt: session.at, fileName: session.fileName }, (contact) => takeNote(run, contact));
  // Once this batch is written its clients are ordinary database rows for the batches that follow (the
  // writer commits batches in order, so a later batch's update of one always comes after its insert).
  for (const c of batch.writes.creates) c.target.pending = dryRun;
  return { results, plan };
}

/**
 * The blocking matches of each row's own cells (the same email, the same name), looked up through the
 * engine's index; the full records of the database's ones, and their contacts when a match is updated.
 */
async function openBatch(run: Run, trx: Kysely<DB>, read: Row[]): Promise<Batch> {
  const blocking = await run.matches.blockingOf(trx, read);
  const blockedIds = [...new Set([...blocking.values()].flatMap((list) => list.filter((v) => !v.target).map((v) => v.company.id)))];
  const existing = blockedIds.length ? await trx.selectFrom('clients').selectAll().where('id', 'in', blockedIds).execute() : [];
  const wantsContacts = read.some((r) => r.contact);
  const existingContacts = wantsContacts && run.session.options.duplicateMode === 'update' ? await listContactsOf(trx, existing.map((c) => c.id)) : [];
  return { trx, blocking, existingById: new Map(existing.map((c) => [c.id, c])), existingContacts, writes: new BatchWrites() };
}

const emptyResult = (row: Row): RowResult => ({
  line: row.line, cells: row.cells, outcome: 'create', errors: [], matches: [], sameAsLine: null, similarLines: [], warnings: [], continuesLine: null, skipReason: null, warned: false,
});

/** A field whose cell the row has itself (a cell merged down from the row above repeats that row's value). */
function ownCell(run: Run, row: Row, field: ImportField): boolean {
  if (row.values[field] === undefined) return false;
  const column = run.session.options.mapping.indexOf(field);
  return !(row.merged ?? []).includes(column);
}

/** Values not imported as written, for the history of the client they belong to. */
const warningNote = (run: Run, warnings: ImportWarning[]) => (warnings.length ? run.session.text('note.notImported', { values: describeWarnings(run.session.text, warnings, 200) }) : null);

/** A row that only adds a contact to the client of the rows above it (see Group). */
function continueGroup(run: Run, batch: Batch, row: Row, head: Group): RowResult {
  head.line = row.line;
  const base: RowResult = { ...emptyResult(row), outcome: 'contact', continuesLine: head.headLine };
  if (head.outcome === 'reject') return { ...base, outcome: 'reject', errors: [{ path: 'companyName', message: 'continues_rejected', params: { line: head.headLine } }] };
  const target = head.target;
  if (head.outcome === 'skip' || !target) return { ...base, outcome: 'skip' };
  // Its own country and contact details count; client cells that say something new cannot apply here.
  const warnings = row.warnings.filter((w) => w.path === 'country' || w.path.startsWith('contact'));
  for (const field of clientLevelFields) {
    if (ownCell(run, row, field) && row.values[field] !== head.values[field]) warnings.push({ path: field, message: 'contact_row', value: row.values[field]!, action: 'ignored' });
  }
  const contact = validateContact(row.contact!, row);
  warnings.push(...contact.warnings);
  const errors: FieldIssue[] = contact.missingName ? [{ path: contact.missingName.path, message: contact.missingName.message }] : [];
  if (run.session.options.rejectUnreadable) errors.push(...warnings.splice(0).map(({ path, message }) => ({ path, message })));
  if (errors.length || !contact.fields) return { ...base, outcome: 'reject', errors };
  const fields = contact.fields;
  if (target.contacts.some((k) => samePerson(k, fields))) return { ...base, outcome: 'skip', skipReason: 'existing_contact' };
  const added = newContact(run, target.record.id, fields, target.contacts.length === 0, row.line);
  target.contacts.push(added);
  const note = [run.session.text('note.contactFrom', { name: fields.name, line: row.line }), warningNote(run, warnings)].filter(Boolean).join(' ');
  if (target.pending) {
    const create = batch.writes.createOf(target);
    if (create) create.note = `${create.note ?? ''} ${note}`.trim();
  } else {
    // Written after its client: a batch before this one created it, or it was in the database.
    const update = batch.writes.updateOf(target);
    update.lines.push(row.line);
    update.notes.push(note);
    update.newContacts.push(added);
  }
  return { ...base, warnings };
}

/**
 * The clients a row's own cells block on: in the database (found before the batch), and clients this run
 * created or updated (an earlier row of this batch may have changed them since the lookup: still the same?).
 */
function blockingTargets(run: Run, batch: Batch, row: Row) {
  const targets = new Map<string, Target>();
  const matches: DuplicateMatch[] = [];
  let sameAsLine: number | null = null;
  const profile = run.matches.readOf(cellsOf(row.client)).profile;
  const add = (target: Target, match: () => DuplicateMatch) => {
    targets.set(target.record.id, target);
    if (target.line !== null) sameAsLine ??= target.line;
    else matches.push(match());
  };
  for (const { company, verdict, target: remembered } of batch.blocking.get(row.line) ?? []) {
    if (remembered) {
      if (compareCompanies(profile, run.matches.profile(remembered.record))?.decision === 'block') add(remembered, () => toMatch(remembered.record, verdict));
      continue;
    }
    const record = batch.existingById.get(company.id);
    if (!record || targets.has(record.id)) continue;
    const update = batch.writes.updates.get(record.id);
    targets.set(record.id, update?.target ?? { record, pending: false, line: null, contacts: batch.existingContacts.filter((k) => k.client_id === record.id) });
    matches.push(toMatch(record, verdict));
  }
  // Clients of this run created or updated after the lookup above (earlier rows of this batch).
  for (const remembered of run.matches.touchedCandidates(cellsOf(row.client), true)) {
    const other = run.matches.profile(remembered.record);
    if (targets.has(remembered.record.id) || !blocks(profile, other)) continue;
    add(remembered, () => toMatch(remembered.record, compareCompanies(profile, other)!));
  }
  return { targets, matches, sameAsLine: sameAsLine as number | null };
}

/** A row with its own client: what it does, and the client further rows of its group add contacts to. */
async function checkRow(run: Run, batch: Batch, row: Row): Promise<{ result: RowResult; target: Target | null }> {
  const { options } = run.session;
  const errors = [...row.errors];
  const { targets, matches, sameAsLine } = blockingTargets(run, batch, row);
  const done = (outcome: RowResult['outcome'], extra: Partial<RowResult> = {}, target: Target | null = null) => ({ result: { ...emptyResult(row), outcome, errors, matches, sameAsLine, ...extra }, target });

  let intent: 'create' | 'update' | 'skip' | 'reject' = 'create';
  if (targets.size && options.duplicateMode === 'skip') intent = 'skip';
  else if (targets.size && options.duplicateMode === 'update') intent = targets.size > 1 ? 'reject' : 'update';
  if (intent === 'skip') return done('skip');
  if (intent === 'reject') {
    errors.push({ path: 'email', message: 'several_matches' });
    return done('reject');
  }

  const target = intent === 'update' ? [...targets.values()][0]! : null;
  const checked = checkValues(run, row, target, errors);
  if (!checked) return done('reject');
  const { fields, contactFields, warnings } = checked;

  const { matches: resemblances, lines: similarLines } = await run.matches.resemblances(batch.trx, { company_name: fields.companyName, email: fields.email, website: fields.website }, new Set(targets.keys()));
  const resembles = { matches: [...matches, ...resemblances], similarLines: similarLines.map(([line, reasons]) => ({ line, reasons })), warned: resemblances.length + similarLines.length > 0, warnings };
  const notes = [
    run.session.text('note.imported', { file: run.session.fileName, line: row.line }),
    targets.size && intent === 'create' ? `Created anyway although it duplicates ${[...targets.values()].map((t) => (t.line ? `line ${t.line}` : t.record.code)).join(', ')}.` : null,
    resemblances.length || similarLines.length
      ? `Possible duplicates: ${[...resemblances.map((w) => `${w.code} ${w.companyName} (${w.reasons.join(', ')})`), ...similarLines.map(([line, reasons]) => `line ${line} (${reasons.join(', ')})`)].join('; ')}`
      : null,
    warningNote(run, warnings),
  ].filter(Boolean).join(' ');

  const saved = { columns: columnsOf(fields), notes, contactFields, warnings };
  if (target) return done('update', resembles, updateTarget(run, batch, row, target, saved));
  return done('create', resembles, createTarget(run, batch, row, saved));
}

type Fields = NonNullable<ReturnType<typeof validateClient>['fields']>;
type Saved = { columns: ReturnType<typeof columnsOf>; notes: string; contactFields: ContactFields | null; warnings: ImportWarning[] };

/**
 * A row's values under the modal's rules, for a new client or over the one it updates; null when the row is
 * rejected (`errors` then says why). An unreadable optional value leaves the run's default on a create and the
 * client's own value on an update, with a warning (or an error in a strict run).
 */
function checkValues(run: Run, row: Row, target: Target | null, errors: FieldIssue[]): { fields: Fields; contactFields: ContactFields | null; warnings: ImportWarning[] } | null {
  const { options, lookups, userId } = run.session;
  let warnings = [...row.warnings];
  // What an unreadable optional cell leaves: the client's own value on an update; empty or the run's default on a create.
  const fallback: ClientInput = target
    ? inputOf(target.record)
    : { phone: null, website: null, comments: null, status: options.defaults.status, ownerId: options.defaults.ownerId ?? userId, defaultFeePercent: null, defaultGuaranteeDays: null, defaultPaymentTermsDays: null };
  const input = target ? mergedInput(target.record, row.client) : newClientInput(row.client, fallback, options.defaults.areaId ?? null);
  if (row.client.ownerId && row.client.ownerId !== target?.record.owner_id && ![...lookups.users.values()].some((u) => u.id === row.client.ownerId && u.active)) {
    warnings.push({ path: 'owner', message: 'inactive_user', value: row.values.owner ?? '', action: 'default' });
    input.ownerId = fallback.ownerId;
  }
  const checked = validateClient(input, fallback, row);
  // A cell that could not be read (an unknown area) says so once, not again as "required".
  const readFailed = new Set(errors.map((e) => e.path));
  errors.push(...checked.errors.filter((e) => !readFailed.has(e.path)));
  warnings.push(...checked.warnings);
  let contactFields: ContactFields | null = null;
  if (row.contact) {
    const contact = validateContact(row.contact, row);
    warnings.push(...contact.warnings);
    if (contact.missingName) warnings.push({ ...contact.missingName, action: 'contact_skipped' });
    contactFields = contact.fields;
  }
  // On an update, what a cell could not say leaves the client's value as it was.
  if (target) warnings = warnings.map((w) => (w.action === 'cleared' || w.action === 'default' || w.action === 'today' ? { ...w, action: 'kept' } : w));
  if (options.rejectUnreadable) errors.push(...warnings.splice(0).map(({ path, message }) => ({ path, message })));
  if (!checked.fields || errors.length) return null;
  return { fields: checked.fields, contactFields, warnings };
}

/** A client's stored columns from its checked fields, with the duplicate engine's keys. */
function columnsOf(fields: Fields) {
  return {
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
}

/** An update: the row's values over the client's, counted once per client however many rows hit it. */
function updateTarget(run: Run, batch: Batch, row: Row, target: Target, saved: Saved): Target {
  const update = target.pending ? undefined : batch.writes.updateOf(target);
  Object.assign(target.record, saved.columns, { updated_at: run.session.at });
  update?.lines.push(row.line);
  update?.notes.push(saved.notes);
  const contactFields = saved.contactFields;
  if (contactFields && !target.contacts.some((k) => samePerson(k, contactFields))) {
    const contact = newContact(run, target.record.id, contactFields, target.contacts.length === 0, row.line);
    // A client created earlier in this batch writes its contacts with it; an existing one gets them added.
    target.contacts.push(contact);
    if (!target.pending) update?.newContacts.push(contact);
  }
  const create = target.pending ? batch.writes.createOf(target) : undefined;
  if (create) create.note = [create.note, `Updated from line ${row.line}.`, warningNote(run, saved.warnings)].filter(Boolean).join(' ');
  run.matches.remember(target);
  return target;
}

/** A new client, with the row's contact. */
function createTarget(run: Run, batch: Batch, row: Row, saved: Saved): Target {
  const { ctx, at } = run.session;
  // A client since a day in the past keeps that day as its creation date (lists, filters and the dashboard count it there).
  const since = row.client.clientSince;
  const createdAt = since && since < at.slice(0, 10) ? dateToInstant(since) : at;
  const record: NewClient = {
    ...saved.columns,
    id: ctx.newId(),
    code: '',
    lead_id: null,
    created_at: createdAt,
    updated_at: at,
    archived_at: null,
    last_activity_at: null,
    version: 1,
    search_text: '',
  };
  const contact = saved.contactFields ? newContact(run, record.id, saved.contactFields, true, row.line) : null;
  const created: Target = { record, pending: true, line: row.line, contacts: contact ? [contact] : [] };
  batch.writes.creates.push({ target: created, line: row.line, note: saved.notes, contact });
  run.matches.remember(created);
  return created;
}

function newContact(run: Run, clientId: string, fields: ContactFields, primary: boolean, line: number): NewContact {
  const { ctx, dryRun, at, fileName, text } = run.session;
  const id = ctx.newId();
  if (!dryRun) run.contactNotes.set(id, text('note.imported', { file: fileName, line }));
  return { id, client_id: clientId, name: fields.name, role: fields.role, email: fields.email, email_key: fields.email_key, phone: fields.phone, is_primary: primary ? 1 : 0, notes: null, created_at: at, updated_at: at, deleted_at: null };
}

/** A new contact's history note, forgotten once its batch is planned. */
function takeNote(run: Run, contact: NewContact): string | null {
  const note = run.contactNotes.get(contact.id) ?? null;
  run.contactNotes.delete(contact.id);
  return note;
}
