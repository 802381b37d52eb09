import { sql, type Kysely, type Selectable } from 'kysely';
import type { ClientsTable, DB } from '../schema';

export type ClientRecord = Selectable<ClientsTable>;

/** Client columns joined with the names the UI shows, as one reusable query. */
export function selectClients(db: Kysely<DB>) {
  return db
    .selectFrom('clients as c')
    .innerJoin('areas as a', 'a.id', 'c.area_id')
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

export interface ClientListQuery {
  search: string;
  statuses: string[];
  areaIds: string[];
  ownerIds: string[];
  createdFrom: string | null;
  createdTo: string | null;
  includeArchived: boolean;
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

const sortExpressions = {
  company_name: sql<string>`c.company_name COLLATE NOCASE`,
  code: sql<string>`c.code`,
  created_at: sql<string>`c.created_at`,
  last_activity_at: sql<string>`ifnull(c.last_activity_at, '')`,
} as const;

/** One page of the clients list, ordered by the sort key then id, positioned by keyset (never OFFSET). */
export function listClients(db: Kysely<DB>, q: ClientListQuery) {
  const sortExpr = sortExpressions[q.sort];
  const desc = q.direction === 'desc';
  let query = selectClients(db).select(sortExpr.as('sort_value'));

  if (!q.includeArchived) query = query.where('c.archived_at', 'is', null);
  if (q.statuses.length) query = query.where('c.status', 'in', q.statuses as ClientRecord['status'][]);
  if (q.areaIds.length) query = query.where('c.area_id', 'in', q.areaIds);
  if (q.ownerIds.length) query = query.where('c.owner_id', 'in', q.ownerIds);
  if (q.createdFrom) query = query.where('c.created_at', '>=', `${q.createdFrom}T00:00:00.000Z`);
  if (q.createdTo) query = query.where('c.created_at', '<', nextDay(q.createdTo));

  const { match, shortTerms } = ftsQuery(q.search);
  if (match) {
    query = query.where(sql<boolean>`c.seq IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ${match})`);
  }
  for (const term of shortTerms) {
    const like = `%${escapeLike(term)}%`;
    query = query.where(
      sql<boolean>`(c.company_name LIKE ${like} ESCAPE '\\' OR c.email LIKE ${like} ESCAPE '\\' OR c.code LIKE ${like} ESCAPE '\\')`,
    );
  }

  if (q.after) {
    query = desc
      ? query.where(sql<boolean>`(${sortExpr} < ${q.after.value} OR (${sortExpr} = ${q.after.value} AND c.id < ${q.after.id}))`)
      : query.where(sql<boolean>`(${sortExpr} > ${q.after.value} OR (${sortExpr} = ${q.after.value} AND c.id > ${q.after.id}))`);
  }

  return query
    .orderBy(sortExpr, desc ? 'desc' : 'asc')
    .orderBy('c.id', desc ? 'desc' : 'asc')
    .limit(q.limit)
    .execute();
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

/** Same website domain or the same company email domain: warning-level duplicate candidates. */
export function findByDomains(db: Kysely<DB>, domains: string[], excludeId: string | null) {
  if (!domains.length) return Promise.resolve([]);
  let query = db
    .selectFrom('clients')
    .select(['id', 'code', 'company_name', 'email', 'name_key', 'email_key', 'domain_key'])
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([eb('domain_key', 'in', domains), ...domains.map((d) => eb('email_key', 'like', `%@${d.replace(/[\\%_]/g, (c) => `\\${c}`)}`))]))
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
