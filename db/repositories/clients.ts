import { sql, type Kysely, type Selectable } from 'kysely';
import { foldForSearch } from '../../contract/normalize';
import type { ClientsTable, DB } from '../schema';

export type ClientRecord = Selectable<ClientsTable>;

/** Client columns joined with the names the UI shows, as one reusable query. */
export function selectClients(db: Kysely<DB>) {
  return db
    .selectFrom('clients as c')
    // LEFT JOIN although every client has an area: it keeps clients as the outer loop, so the planner walks
    // the sort index and stops at the page size instead of scanning areas and sorting every client.
    .leftJoin('areas as a', 'a.id', 'c.area_id')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .selectAll('c')
    .select(['a.name as area_name', 'a.key as area_key', 'u.name as owner_name']);
}

export function findClientById(db: Kysely<DB>, id: string) {
  return selectClients(db).where('c.id', '=', id).executeTakeFirst();
}

export async function insertClient(trx: Kysely<DB>, row: Omit<ClientRecord, 'seq'>): Promise<void> {
  await trx.insertInto('clients').values(row).execute();
}

export interface DuplicateKeys {
  nameKey: string;
  emailKey: string;
  /** Excluded from matching: a client never matches itself when edited. */
  excludeId?: string | null;
}

/** Clients that share the normalised email or the normalised name: the blocking duplicate rules. */
export function findBlockingDuplicates(db: Kysely<DB>, keys: DuplicateKeys) {
  let query = db
    .selectFrom('clients')
    .select(['id', 'code', 'company_name', 'email', 'name_key', 'email_key'])
    .where((eb) => eb.or([eb('email_key', '=', keys.emailKey), eb('name_key', '=', keys.nameKey)]))
    .where('archived_at', 'is', null)
    .limit(10);
  if (keys.excludeId) query = query.where('id', '!=', keys.excludeId);
  return query.execute();
}

export interface ClientFilterQuery {
  search: string;
  statuses: string[];
  areaIds: string[];
  ownerIds: string[];
  createdFrom: string | null;
  createdTo: string | null;
  includeArchived: boolean;
}

export interface ClientListQuery extends ClientFilterQuery {
  sort: 'company_name' | 'code' | 'created_at' | 'last_activity_at';
  direction: 'asc' | 'desc';
  limit: number;
  /** Keyset position: the sort value and id of the last row of the previous page. */
  after: { value: string; id: string } | null;
}

/** FTS5 trigram needs 3+ characters per term; every term is quoted so FTS syntax in the query is plain text. */
export function ftsQuery(search: string): { match: string | null; shortTerms: string[] } {
  const terms = search.trim().split(/\s+/).filter(Boolean);
  const long = terms.filter((t) => [...t].length >= 3);
  const shortTerms = terms.filter((t) => [...t].length < 3);
  const match = long.length ? long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ') : null;
  return { match, shortTerms };
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}


/** The folded text a client is searched by: its name, email, code and its contacts' names and emails. */
export function clientSearchText(client: { company_name: string; email: string; code: string }, contacts: { name: string; email: string | null }[]): string {
  return foldForSearch([client.company_name, client.email, client.code, ...contacts.flatMap((k) => [k.name, k.email ?? ''])].join(' '));
}

/** Recomputes a client's search text after the client or one of its contacts changed (same transaction). */
export async function refreshClientSearchText(trx: Kysely<DB>, clientId: string): Promise<void> {
  const client = await trx.selectFrom('clients').select(['company_name', 'email', 'code']).where('id', '=', clientId).executeTakeFirst();
  if (!client) return;
  const contacts = await trx.selectFrom('client_contacts').select(['name', 'email']).where('client_id', '=', clientId).where('deleted_at', 'is', null).execute();
  await trx.updateTable('clients').set({ search_text: clientSearchText(client, contacts) }).where('id', '=', clientId).execute();
}

/** Above this many trigram matches a term is "common": checking rows in list order finds a page sooner. */
const rareMatchLimit = 2000;

/**
 * The search condition, planned per query. A client matches when every term is found in its name, email,
 * code or a contact's name or email, ignoring case and accents. Rare terms are looked up in the trigram
 * indexes and the few matching clients sorted; common terms (and 1–2 character ones, which trigrams cannot
 * index) are checked row by row on the folded search text while walking the list's sort index, which
 * stops as soon as a page is full. Either way FTS syntax typed by the user is only ever quoted text.
 */
export async function searchCondition(db: Kysely<DB>, search: string) {
  const { match, shortTerms } = ftsQuery(search);
  if (!match && !shortTerms.length) return null;
  const likeTerms = search
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => sql<boolean>`c.search_text LIKE ${`%${escapeLike(foldForSearch(t))}%`} ESCAPE '\\'`);
  const rowByRow = sql<boolean>`(${sql.join(likeTerms, sql` AND `)})`;
  if (!match) return rowByRow;

  const [own, viaContacts] = await Promise.all([
    sql<{ rowid: number }>`SELECT rowid FROM clients_fts WHERE clients_fts MATCH ${match} LIMIT ${rareMatchLimit + 1}`.execute(db),
    sql<{ rowid: number }>`SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ${match} LIMIT ${rareMatchLimit + 1}`.execute(db),
  ]);
  if (own.rows.length > rareMatchLimit || viaContacts.rows.length > rareMatchLimit) return rowByRow;
  const seqs = own.rows.map((r) => r.rowid);
  const contactSeqs = viaContacts.rows.map((r) => r.rowid);
  const idSet = sql<boolean>`(c.seq IN (SELECT value FROM json_each(${JSON.stringify(seqs)}))
    OR c.id IN (SELECT k.client_id FROM client_contacts k WHERE k.deleted_at IS NULL AND k.seq IN (SELECT value FROM json_each(${JSON.stringify(contactSeqs)}))))`;
  // Short terms still have to appear somewhere in the client or its contacts.
  const shortChecks = shortTerms.map((t) => sql<boolean>`c.search_text LIKE ${`%${escapeLike(foldForSearch(t))}%`} ESCAPE '\\'`);
  return shortChecks.length ? sql<boolean>`(${idSet} AND ${sql.join(shortChecks, sql` AND `)})` : idSet;
}

/** Contacts of the given clients that match every search term: shown on the row as the reason it matched. */
export async function matchingContacts(db: Kysely<DB>, clientIds: string[], search: string) {
  const terms = search.trim().split(/\s+/).filter(Boolean).map(foldForSearch);
  const contacts = await db
    .selectFrom('client_contacts as k')
    .select(['k.client_id', 'k.name', 'k.email'])
    .where('k.client_id', 'in', clientIds)
    .where('k.deleted_at', 'is', null)
    .execute();
  return contacts.filter((k) => {
    const text = foldForSearch(`${k.name} ${k.email ?? ''}`);
    return terms.every((t) => text.includes(t));
  });
}

/** Search and filters as SQL conditions over `clients as c`, shared by the list and its metrics. */
export async function clientFilterConditions(db: Kysely<DB>, q: ClientFilterQuery) {
  const conditions = [];
  if (!q.includeArchived) conditions.push(sql<boolean>`c.archived_at IS NULL`);
  // A broad filter matches many clients: unary + keeps its index out of the plan, so the list walks its sort
  // index and stops at the page size instead of collecting and sorting every match. A narrow combination
  // (estimated under 2 % of clients: 3 statuses, ~11 areas, ~12 owners) is found faster through the
  // facets index (status, area, owner, created), then sorted.
  const share = (q.statuses.length ? q.statuses.length / 3 : 1) * (q.areaIds.length ? q.areaIds.length / 11 : 1) * (q.ownerIds.length ? q.ownerIds.length / 12 : 1);
  const column = (name: string) => (share < 0.02 ? sql.ref(name) : sql`+${sql.ref(name)}`);
  if (q.statuses.length) conditions.push(sql<boolean>`${column('c.status')} IN (${sql.join(q.statuses)})`);
  if (q.areaIds.length) conditions.push(sql<boolean>`${column('c.area_id')} IN (${sql.join(q.areaIds)})`);
  if (q.ownerIds.length) conditions.push(sql<boolean>`${column('c.owner_id')} IN (${sql.join(q.ownerIds)})`);
  if (q.createdFrom) conditions.push(sql<boolean>`c.created_at >= ${`${q.createdFrom}T00:00:00.000Z`}`);
  if (q.createdTo) conditions.push(sql<boolean>`c.created_at < ${nextDay(q.createdTo)}`);
  const search = await searchCondition(db, q.search);
  if (search) conditions.push(search);
  return conditions;
}

/** How many clients the search and filters select (an export's progress total). */
export async function countClients(db: Kysely<DB>, q: ClientFilterQuery): Promise<number> {
  let query = db.selectFrom('clients as c').select((eb) => eb.fn.countAll<number>().as('n'));
  for (const condition of await clientFilterConditions(db, q)) query = query.where(condition);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

const sortExpressions = {
  company_name: sql<string>`c.company_name COLLATE NOCASE`,
  code: sql<string>`c.code`,
  created_at: sql<string>`c.created_at`,
  last_activity_at: sql<string>`ifnull(c.last_activity_at, '')`,
} as const;

/** One page of the clients list, ordered by the sort key then id, positioned by keyset (never OFFSET). */
export async function listClients(db: Kysely<DB>, q: ClientListQuery) {
  return (await listClientsQuery(db, q)).execute();
}

/** The list query itself, so benchmarks can run the very same SQL on the raw driver. */
export async function listClientsQuery(db: Kysely<DB>, q: ClientListQuery) {
  const sortExpr = sortExpressions[q.sort];
  const desc = q.direction === 'desc';
  let query = selectClients(db)
    .select(sortExpr.as('sort_value'))
    .select((eb) =>
      eb
        .selectFrom('jobs as j')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('j.client_id', '=', 'c.id')
        .where('j.status', 'in', ['open', 'on_hold'])
        .where('j.deleted_at', 'is', null)
        .as('open_jobs'),
    );
  for (const condition of await clientFilterConditions(db, q)) query = query.where(condition);

  if (q.after) {
    query = desc
      ? query.where(sql<boolean>`(${sortExpr} < ${q.after.value} OR (${sortExpr} = ${q.after.value} AND c.id < ${q.after.id}))`)
      : query.where(sql<boolean>`(${sortExpr} > ${q.after.value} OR (${sortExpr} = ${q.after.value} AND c.id > ${q.after.id}))`);
  }

  return query
    .orderBy(sortExpr, desc ? 'desc' : 'asc')
    .orderBy('c.id', desc ? 'desc' : 'asc')
    .limit(q.limit);
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export async function updateClientRow(trx: Kysely<DB>, id: string, version: number, patch: Partial<Omit<ClientRecord, 'seq' | 'id' | 'code' | 'version'>>) {
  // The version check makes a stale edit fail instead of overwriting someone else's newer save.
  const result = await trx
    .updateTable('clients')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function findClientRecord(db: Kysely<DB>, id: string) {
  return db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The domain part of the normalised email, exactly as the clients_email_domain index is defined. */
const emailDomainKey = sql<string>`substr(email_key, instr(email_key, '@') + 1)`;

/** Same website domain or the same company email domain: warning-level duplicate candidates. */
export function findByDomains(db: Kysely<DB>, domains: string[], excludeId: string | null) {
  if (!domains.length) return Promise.resolve([]);
  let query = db
    .selectFrom('clients')
    .select(['id', 'code', 'company_name', 'email', 'name_key', 'email_key', 'domain_key'])
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([eb('domain_key', 'in', domains), eb(emailDomainKey, 'in', domains)]))
    .limit(20);
  if (excludeId) query = query.where('id', '!=', excludeId);
  return query.execute();
}

/** Candidates for a similar name: clients sharing any 3+ letter word of the name, found through the trigram index. */
export function findNameCandidates(db: Kysely<DB>, nameKey: string, excludeId: string | null) {
  const words = [...new Set(nameKey.split(' ').filter((w) => w.length >= 3))];
  if (!words.length) return Promise.resolve([]);
  const match = words.map((w) => `company_name : "${w.replace(/"/g, '""')}"`).join(' OR ');
  let query = db
    .selectFrom('clients')
    .select(['id', 'code', 'company_name', 'email', 'name_key', 'email_key', 'domain_key'])
    .where('archived_at', 'is', null)
    .where(sql<boolean>`seq IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ${match} LIMIT 300)`);
  if (excludeId) query = query.where('id', '!=', excludeId);
  return query.execute();
}

/** Clients (not archived) with any of these normalised emails or names: the blocking rules for a batch of rows. */
export function findClientsByKeys(db: Kysely<DB>, emailKeys: string[], nameKeys: string[]) {
  if (!emailKeys.length && !nameKeys.length) return Promise.resolve([]);
  return db
    .selectFrom('clients')
    .selectAll()
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([...(emailKeys.length ? [eb('email_key', 'in', emailKeys)] : []), ...(nameKeys.length ? [eb('name_key', 'in', nameKeys)] : [])]))
    .execute();
}

/** Clients (not archived) whose website or email domain is one of these: the domain warnings for a batch. */
export function findClientsByDomainKeys(db: Kysely<DB>, domains: string[]) {
  if (!domains.length) return Promise.resolve([]);
  return db
    .selectFrom('clients')
    .select(['id', 'code', 'company_name', 'email', 'name_key', 'email_key', 'domain_key'])
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([eb('domain_key', 'in', domains), eb(emailDomainKey, 'in', domains)]))
    .execute();
}

/** Many clients in few statements (bulk imports); the FTS triggers index each row as for a single insert. */
export async function insertClients(trx: Kysely<DB>, rows: Omit<ClientRecord, 'seq'>[]): Promise<void> {
  // 23 parameters a row: 1 000 rows stay below SQLite's 32 766 bound-parameter limit.
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('clients').values(rows.slice(i, i + 1000)).execute();
}

export async function countClientRelations(db: Kysely<DB>, clientId: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('client_contacts').select(eb.fn.countAll<number>().as('n')).where('client_id', '=', clientId).where('deleted_at', 'is', null).as('contacts'),
      eb.selectFrom('events').select(eb.fn.countAll<number>().as('n')).where('client_id', '=', clientId).where('deleted_at', 'is', null).as('events'),
      eb.selectFrom('jobs').select(eb.fn.countAll<number>().as('n')).where('client_id', '=', clientId).where('deleted_at', 'is', null).as('jobs'),
      eb
        .selectFrom('jobs')
        .select(eb.fn.countAll<number>().as('n'))
        .where('client_id', '=', clientId)
        .where('deleted_at', 'is', null)
        .where('status', 'in', ['open', 'on_hold'])
        .as('open_jobs'),
    ])
    .executeTakeFirstOrThrow();
  return { contacts: Number(row.contacts), events: Number(row.events), jobs: Number(row.jobs), openJobs: Number(row.open_jobs) };
}
