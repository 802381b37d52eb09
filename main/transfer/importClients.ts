import type { Kysely } from 'kysely';
import type { FieldIssue } from '../../contract';
import { clientFieldsSchema } from '../../contract/clients';
import { contactFieldsSchema } from '../../contract/contacts';
import { issueFromZod, type DuplicateMatch } from '../../contract/errors';
import { emailDomain, isPublicMailDomain, normalizeCompanyName, normalizeEmail, websiteDomain } from '../../contract/normalize';
import { normalizePhone } from '../../contract/phone';
import { entityFields } from '../../contract/sync';
import type { ParsedImportOptions } from '../../contract/transfer';
import { findClientsByDomainKeys, findClientsByKeys, type ClientRecord } from '../../db/repositories/clients';
import { listContactsOf } from '../../db/repositories/contacts';
import type { DB } from '../../db/schema';
import type { HandlerContext } from '../handlers/context';
import type { ClientWritePlan, NewClient, NewContact } from './clientWrites';
import { readClientRow, type ClientCells, type ContactCells, type ImportLookups } from './importRows';
import { databaseNameIndex, NameIndex } from './nameIndex';
import type { BatchOutcome, RowResult, SourceRow } from './importTypes';

/** A client a row may land on: one already in the database, or one an earlier row of this run created. */
interface Target {
  record: NewClient & { seq?: number };
  /** Created by this run and not yet written (this batch, or any batch of a dry run). */
  pending: boolean;
  /** The line that created it, when this run did. */
  line: number | null;
  contacts: { name: string; email: string | null; email_key: string | null }[];
}

type DomainClient = Awaited<ReturnType<typeof findClientsByDomainKeys>>[number];

/**
 * A batch's database clients by website domain and by email domain. Each row asks for its own one or two
 * domains; scanning the batch's whole list per row made warnings grow with the square of the batch size.
 */
class DomainIndex {
  private readonly byDomain = new Map<string, number[]>();

  constructor(private readonly clients: DomainClient[]) {
    clients.forEach((c, i) => {
      for (const domain of new Set([c.domain_key, emailDomain(c.email_key)])) {
        if (!domain) continue;
        const list = this.byDomain.get(domain);
        if (list) list.push(i);
        else this.byDomain.set(domain, [i]);
      }
    });
  }

  /** The clients with any of these domains, each once, in the order of the batch's list. */
  lookup(domains: (string | null)[]): DomainClient[] {
    const found = new Set<number>();
    for (const domain of domains) if (domain) for (const i of this.byDomain.get(domain) ?? []) found.add(i);
    return [...found].sort((a, b) => a - b).map((i) => this.clients[i]!);
  }
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
}

const blockingReasons = (record: { email_key: string; name_key: string }, emailKey: string | null, nameKey: string | null) =>
  [record.email_key === emailKey ? 'email' : null, record.name_key === nameKey ? 'name' : null].filter((r): r is string => r !== null);

const asMatch = (r: { id: string; code: string; company_name: string; email: string }, reasons: string[]): DuplicateMatch => ({
  id: r.id,
  code: r.code,
  companyName: r.company_name,
  email: r.email,
  reasons,
});

/** Field paths of the shared client schema → the import fields the user mapped. */
const clientPathToField: Record<string, string> = { areaId: 'area', ownerId: 'owner' };
const contactPathToField: Record<string, string> = { name: 'contactName', role: 'contactRole', email: 'contactEmail', phone: 'contactPhone' };

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
  // Keyed 'e:<email key>' and 'n:<name key>': what this run created or updated, for rows further down.
  const memory = new Map<string, Target>();
  // The same clients by id, by name (similar-name warnings) and by website and email domain (domain warnings).
  const touched = new Map<string, Target>();
  const touchedNames = new NameIndex();
  const touchedDomains = new Map<string, Set<Target>>();
  // The database's clients by name, as they were when the run started.
  let databaseNames: NameIndex | null = null;

  const remember = (target: Target) => {
    const { record } = target;
    memory.set(`e:${record.email_key}`, target);
    memory.set(`n:${record.name_key}`, target);
    touched.set(record.id, target);
    touchedNames.add({ id: record.id, code: record.code, company_name: record.company_name, email: record.email, name_key: record.name_key });
    for (const domain of [record.domain_key, emailDomain(record.email_key)]) {
      if (domain) touchedDomains.set(domain, (touchedDomains.get(domain) ?? new Set()).add(target));
    }
  };
  /** A remembered client under this key, if it still has it (an update may have changed its email or name since). */
  const recall = (key: string) => {
    const target = memory.get(key);
    return target && (key === `e:${target.record.email_key}` || key === `n:${target.record.name_key}`) ? target : undefined;
  };

  function validateClient(input: Record<string, unknown>, errors: FieldIssue[]) {
    const parsed = clientFieldsSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = String(issue.path[0] ?? '');
        errors.push({ path: clientPathToField[path] ?? path, ...issueFromZod(issue) });
      }
      return null;
    }
    const phone = normalizePhone(parsed.data.phone, session.defaultCountry);
    if (!phone.ok) {
      errors.push({ path: 'phone', message: phone.message });
      return null;
    }
    return { ...parsed.data, phone: phone.value };
  }

  function validateContact(cells: ContactCells, errors: FieldIssue[]) {
    const parsed = contactFieldsSchema.safeParse({ name: cells.name ?? '', role: cells.role ?? null, email: cells.email ?? null, phone: cells.phone ?? null });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = String(issue.path[0] ?? '');
        errors.push({ path: contactPathToField[path] ?? path, ...issueFromZod(issue) });
      }
      return null;
    }
    const phone = normalizePhone(parsed.data.phone, session.defaultCountry);
    if (!phone.ok) {
      errors.push({ path: 'contactPhone', message: phone.message });
      return null;
    }
    return { ...parsed.data, phone: phone.value, email_key: parsed.data.email ? normalizeEmail(parsed.data.email) : null };
  }

  const samePerson = (a: { name: string; email_key: string | null }, b: { name: string; email_key: string | null }) =>
    a.email_key && b.email_key ? a.email_key === b.email_key : normalizeCompanyName(a.name) === normalizeCompanyName(b.name);

  /** The fields a row sets on an existing client: its own cells over what the client has. */
  function mergedInput(record: NewClient, cells: ClientCells): Record<string, unknown> {
    return {
      companyName: cells.companyName ?? record.company_name,
      email: cells.email ?? record.email,
      areaId: cells.areaId ?? record.area_id,
      phone: cells.phone ?? record.phone,
      website: cells.website ?? record.website,
      comments: cells.comments ?? record.comments,
      status: cells.status ?? record.status,
      ownerId: cells.ownerId ?? record.owner_id,
      defaultFeePercent: cells.defaultFeePercent ?? record.default_fee_percent,
      defaultGuaranteeDays: cells.defaultGuaranteeDays ?? record.default_guarantee_days,
      defaultPaymentTermsDays: cells.defaultPaymentTermsDays ?? record.default_payment_terms_days,
    };
  }

  /**
   * The warning-level matches of a row's final values: same website domain, same company email domain,
   * similar name. Clients in the database are reported as matches; clients created by earlier rows of
   * this run are named by their line (they may not be written yet, and have no code in a dry run).
   */
  function warningsFor(fields: { name_key: string; email_key: string; domain_key: string | null }, byDomain: DomainIndex, skipIds: Set<string>) {
    const found = new Map<string, DuplicateMatch>();
    const lines = new Map<number, string[]>();
    const add = (c: { id: string; code: string; company_name: string; email: string }, reason: string) => {
      if (skipIds.has(c.id)) return;
      const line = touched.get(c.id)?.line ?? null;
      if (line !== null) {
        const reasons = lines.get(line) ?? [];
        if (!reasons.includes(reason)) reasons.push(reason);
        lines.set(line, reasons);
        return;
      }
      const match = found.get(c.id) ?? asMatch(c, []);
      if (!match.reasons.includes(reason)) match.reasons.push(reason);
      found.set(c.id, match);
    };
    const mailDomain = emailDomain(fields.email_key);
    const companyMail = mailDomain && !isPublicMailDomain(mailDomain) ? mailDomain : null;
    const byRun = [fields.domain_key, companyMail].flatMap((d) => (d ? [...(touchedDomains.get(d) ?? [])].map((t) => t.record) : []));
    for (const c of [...byDomain.lookup([fields.domain_key, companyMail]).filter((c) => !touched.has(c.id)), ...byRun]) {
      const theirMail = emailDomain(c.email_key);
      if (fields.domain_key && (c.domain_key === fields.domain_key || theirMail === fields.domain_key)) add(c, 'domain');
      if (companyMail && (theirMail === companyMail || c.domain_key === companyMail)) add(c, 'email_domain');
    }
    const similar = [...databaseNames!.search(fields.name_key, (id) => touched.has(id) || skipIds.has(id)), ...touchedNames.search(fields.name_key, (id) => skipIds.has(id))];
    for (const c of similar) add(touched.get(c.id)?.record ?? c, 'similar_name');
    return { matches: [...found.values()].slice(0, 10), lines: [...lines.entries()].slice(0, 10) };
  }

  return async function importBatch(trx: Kysely<DB>, rows: SourceRow[]): Promise<BatchOutcome> {
    const read = rows.map((row) => ({ ...row, ...readClientRow(row.cells, options.mapping, lookups) }));
    const keysOf = (cells: ClientCells) => ({
      emailKey: cells.email ? normalizeEmail(cells.email) : null,
      nameKey: cells.companyName ? normalizeCompanyName(cells.companyName) : null,
    });
    const emailKeys = new Set<string>();
    const nameKeys = new Set<string>();
    const domains = new Set<string>();
    for (const row of read) {
      const { emailKey, nameKey } = keysOf(row.client);
      if (emailKey) emailKeys.add(emailKey);
      if (nameKey) nameKeys.add(nameKey);
      const site = websiteDomain(row.client.website);
      if (site) domains.add(site);
      const mail = emailKey ? emailDomain(emailKey) : null;
      if (mail && !isPublicMailDomain(mail)) domains.add(mail);
    }
    // Three queries per batch instead of three per row: the blocking keys and the domains of every row.
    databaseNames ??= await databaseNameIndex(trx, ctx.db);
    // Clients this run already touched come from its memory (as the run left them), not from the database.
    const existing = (await findClientsByKeys(trx, [...emailKeys], [...nameKeys])).filter((c) => !touched.has(c.id));
    const byDomain = new DomainIndex(await findClientsByDomainKeys(trx, [...domains]));
    const existingByKey = new Map<string, ClientRecord[]>();
    for (const record of existing) {
      for (const key of [`e:${record.email_key}`, `n:${record.name_key}`]) existingByKey.set(key, [...(existingByKey.get(key) ?? []), record]);
    }
    const wantsContacts = read.some((r) => r.contact);
    const existingContacts = wantsContacts && options.duplicateMode === 'update' ? await listContactsOf(trx, existing.map((c) => c.id)) : [];

    const creates: { target: Target; line: number; note: string | null; contact: NewContact | null }[] = [];
    const updates = new Map<string, { original: ClientRecord; target: Target; lines: number[]; notes: string[]; newContacts: NewContact[] }>();
    const results: RowResult[] = [];

    for (const row of read) {
      const errors = [...row.errors];
      const { emailKey, nameKey } = keysOf(row.client);

      // Blocking matches: clients in the database, and clients this run already created or updated.
      const targets = new Map<string, Target>();
      let sameAsLine: number | null = null;
      for (const key of [emailKey ? `e:${emailKey}` : null, nameKey ? `n:${nameKey}` : null]) {
        if (!key) continue;
        const remembered = recall(key);
        if (remembered) {
          targets.set(remembered.record.id, remembered);
          sameAsLine ??= remembered.line;
        }
        for (const record of existingByKey.get(key) ?? []) {
          if (!targets.has(record.id)) {
            const update = updates.get(record.id);
            targets.set(record.id, update?.target ?? { record, pending: false, line: null, contacts: existingContacts.filter((k) => k.client_id === record.id) });
          }
        }
      }
      const matches = [...targets.values()].filter((t) => t.line === null).map((t) => asMatch(t.record, blockingReasons(t.record, emailKey, nameKey)));
      const result = (outcome: RowResult['outcome'], extra: Partial<RowResult> = {}): RowResult => ({ line: row.line, cells: row.cells, outcome, errors, matches, sameAsLine, similarLines: [], warned: false, ...extra });

      let intent: 'create' | 'update' | 'skip' | 'reject' = 'create';
      if (targets.size && options.duplicateMode === 'skip') intent = 'skip';
      else if (targets.size && options.duplicateMode === 'update') intent = targets.size > 1 ? 'reject' : 'update';
      if (intent === 'skip') {
        results.push(result('skip'));
        continue;
      }
      if (intent === 'reject') {
        errors.push({ path: 'email', message: 'several_matches' });
        results.push(result('reject'));
        continue;
      }

      const target = intent === 'update' ? [...targets.values()][0]! : null;
      const input = target
        ? mergedInput(target.record, row.client)
        : {
            companyName: row.client.companyName ?? '',
            email: row.client.email ?? '',
            areaId: row.client.areaId ?? options.defaults.areaId ?? '',
            phone: row.client.phone ?? null,
            website: row.client.website ?? null,
            comments: row.client.comments ?? null,
            status: row.client.status ?? options.defaults.status,
            ownerId: row.client.ownerId ?? options.defaults.ownerId ?? session.userId,
            defaultFeePercent: row.client.defaultFeePercent ?? null,
            defaultGuaranteeDays: row.client.defaultGuaranteeDays ?? null,
            defaultPaymentTermsDays: row.client.defaultPaymentTermsDays ?? null,
          };
      // Missing area with no default is a clear error on the area, not a generic "required".
      const readFailed = new Set(errors.map((e) => e.path));
      const fields = validateClient(input, errors);
      // A cell that could not be read (an unknown area) says so once, not again as "required".
      for (let i = errors.length - 1; i >= row.errors.length; i--) if (readFailed.has(errors[i]!.path)) errors.splice(i, 1);
      if (row.client.ownerId && row.client.ownerId !== target?.record.owner_id && ![...lookups.users.values()].some((u) => u.id === row.client.ownerId && u.active)) {
        errors.push({ path: 'owner', message: 'inactive_user' });
      }
      const contactFields = row.contact ? validateContact(row.contact, errors) : null;
      if (!fields || errors.length) {
        results.push(result('reject'));
        continue;
      }

      const keys = { name_key: normalizeCompanyName(fields.companyName), email_key: normalizeEmail(fields.email), domain_key: websiteDomain(fields.website) };
      const { matches: warnings, lines: similarLines } = warningsFor(keys, byDomain, new Set(targets.keys()));
      const resembles = { matches: [...matches, ...warnings], similarLines: similarLines.map(([line, reasons]) => ({ line, reasons })), warned: warnings.length + similarLines.length > 0 };
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
        ...keys,
      };
      const notes = [
        `Imported from ${session.fileName}, line ${row.line}.`,
        targets.size && intent === 'create' ? `Created anyway although it duplicates ${[...targets.values()].map((t) => (t.line ? `line ${t.line}` : t.record.code)).join(', ')}.` : null,
        warnings.length || similarLines.length
          ? `Possible duplicates: ${[...warnings.map((w) => `${w.code} ${w.companyName} (${w.reasons.join(', ')})`), ...similarLines.map(([line, reasons]) => `line ${line} (${reasons.join(', ')})`)].join('; ')}`
          : null,
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
          const contact = newContact(target.record.id, contactFields, target.contacts.length === 0);
          // A client created earlier in this batch writes its contacts with it; an existing one gets them added.
          target.contacts.push(contact);
          if (!target.pending) update?.newContacts.push(contact);
        }
        const create = target.pending ? creates.find((c) => c.target === target) : undefined;
        if (create) create.note = `${create.note ?? ''} Updated from line ${row.line}.`.trim();
        remember(target);
        results.push(result('update', resembles));
        continue;
      }

      const record: NewClient = {
        ...columns,
        id: ctx.newId(),
        code: '',
        lead_id: null,
        created_at: session.at,
        updated_at: session.at,
        archived_at: null,
        last_activity_at: null,
        version: 1,
        search_text: '',
      };
      const contact = contactFields ? newContact(record.id, contactFields, true) : null;
      const created: Target = { record, pending: true, line: row.line, contacts: contact ? [contact] : [] };
      creates.push({ target: created, line: row.line, note: notes, contact });
      remember(created);
      results.push(result('create', resembles));
    }

    const plan = dryRun ? null : planWrites(creates, updates);
    // Once this batch is written its clients are ordinary database rows for the batches that follow (the
    // writer commits batches in order, so a later batch's update of one always comes after its insert).
    for (const c of creates) c.target.pending = dryRun;
    return { results, plan };
  };

  function newContact(clientId: string, fields: { name: string; role: string | null; email: string | null; phone: string | null; email_key: string | null }, primary: boolean): NewContact {
    return {
      id: ctx.newId(),
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
    const planned = creates.map((c) => {
      const { seq: _seq, ...record } = c.target.record;
      return { record, contacts: c.target.contacts as NewContact[], line: c.line, note: c.note };
    });
    const changes = [...updates].map(([id, u]) => {
      const { seq: _seq, version: _version, id: _id, code: _code, created_at: _created, search_text: _search, ...after } = u.target.record as ClientRecord;
      // Synced fields only: the writer logs and bumps the version for those alone (keys and times are derived).
      const patch = Object.fromEntries(Object.entries(after).filter(([field, value]) => field in entityFields.client && (u.original[field as keyof ClientRecord] ?? null) !== (value ?? null)));
      const changed = Object.keys(patch).length > 0;
      // The writer checks this version and bumps it; later batches update from the bumped one.
      if (changed) u.target.record.version = u.original.version + 1;
      return { id, version: u.original.version, patch: changed ? patch : null, note: u.notes.join(' '), newContacts: u.newContacts, lines: u.lines };
    });
    updates.clear();
    return { codePrefix: `CL-${ctx.deviceTag}`, creates: planned, updates: changes, by };
  }
}
