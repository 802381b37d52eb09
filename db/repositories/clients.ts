import { sql, type Kysely, type Selectable } from 'kysely';
import { insertMatchKeys } from '../sync/matchKeys';
import { foldForSearch } from '../../contract/normalize';
import type { ClientsTable, DB } from '../schema';
import { clientSearchText } from '../sync/derived';
import { createRecord, createRecords, deleteRecord, restoreRecord, updateRecord, type Actor, type Values } from '../sync/write';
import {
  compiled, coveringTrigrams, createdPieces, forcedPlan, joined, likePiece, marks, piece, plannedPage, planSearch, positionPieces, quoteFts, where, type Keyset, type Piece, type SearchPlan,
} from './listPlanner';

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

/** A new client's synced fields (contract/sync.ts); its keys, version and search text are derived when written. */
export type NewClient = Values<'client'> & { id: string; code: string; company_name: string; email: string; area_id: string; created_at: string };

/** Creates a client and logs it (db/sync/write.ts). */
export function createClient(trx: Kysely<DB>, actor: Actor, values: NewClient, note: string | null = null) {
  return createRecord(trx, actor, 'client', values, { note });
}

/**
 * Changes a client's fields. `version` is the version the user edited: a client saved meanwhile fails with
 * StaleRecordError instead of being overwritten.
 */
export function updateClient(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'client'>, options: { version?: number; note?: string | null } = {}) {
  return updateRecord(trx, actor, 'client', id, patch, options);
}

/** Archives (a client's removal: history, contacts and postings stay) or restores a client. */
export function setClientArchived(trx: Kysely<DB>, actor: Actor, id: string, archived: boolean, options: { version?: number; note?: string | null } = {}) {
  return archived ? deleteRecord(trx, actor, 'client', id, options) : restoreRecord(trx, actor, 'client', id, options);
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

/**
 * Search terms as the index stores them: folded like search_text (lower case, no accents), empty ones dropped.
 * Control characters separate terms like spaces: no stored text is searched by them, and FTS5 reads a query
 * as a C string, so a NUL inside a quoted term ended the query mid-string ("unterminated string"). Lone
 * surrogates become U+FFFD here, as they would on their way to SQLite, so terms are counted the same on both sides.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export function searchTerms(search: string): string[] {
  return search.replace(loneSurrogate, '\uFFFD').split(/[\s\p{Cc}]+/u).map(foldForSearch).filter(Boolean);
}

export interface TrigramQuery {
  /** Every term, folded. */
  terms: string[];
  /** Exact: each 3+ character term as a trigram phrase (its substrings in a row). Null when every term is shorter. */
  match: string | null;
  /**
   * A superset for LIKE to confirm: each 3+ character term's trigrams that cover it side by side ("transportes"
   * → tra nsp ort tes). Two to three times cheaper than the phrases, which check every trigram and its position.
   */
  coarse: string | null;
  shortTerms: string[];
}

export function trigramQuery(search: string): TrigramQuery {
  const terms = searchTerms(search);
  const long = terms.filter((t) => [...t].length >= 3);
  if (!long.length) return { terms, match: null, coarse: null, shortTerms: terms };
  return {
    terms,
    match: long.map(quoteFts).join(' AND '),
    coarse: [...new Set(long.flatMap(coveringTrigrams))].map(quoteFts).join(' AND '),
    shortTerms: terms.filter((t) => [...t].length < 3),
  };
}

/** The cheaper search plan from the first matches in the trigram index (listPlanner.ts `planSearch`). */
function planClientSearch(db: Kysely<DB>, search: string, share: number, limit: number): Promise<SearchPlan> {
  const { terms, coarse } = trigramQuery(search);
  return planSearch(db, { table: 'clients', fts: 'clients_search' }, terms, coarse, share, limit);
}

/** The same piece as a Kysely expression (no piece contains a literal `?`: every value is a parameter). */
const expression = (p: Piece) => {
  const strings = p.text.split('?');
  return sql<boolean>(Object.assign(strings, { raw: strings }) as unknown as TemplateStringsArray, ...p.values);
};

/** `c.search_text` holds the term (folded); the test every search plan ends with. */
export const likeTerm = (term: string) => expression(likePiece(term));

/** The search as one condition over `clients as c`, for counts (every match is visited: the index narrows first). */
function searchPiece(search: string): Piece | null {
  const { terms, coarse } = trigramQuery(search);
  if (!terms.length) return null;
  const all = joined(terms.map(likePiece), ' AND ');
  if (!coarse) return piece(`(${all.text})`, ...all.values);
  return piece(`(c.seq IN (SELECT rowid FROM clients_search WHERE clients_search MATCH ?) AND ${all.text})`, coarse, ...all.values);
}

export function searchCondition(search: string) {
  const p = searchPiece(search);
  return p && expression(p);
}

/** Contacts of the given clients that match every search term: shown on the row as the reason it matched. */
export async function matchingContacts(db: Kysely<DB>, clientIds: string[], search: string) {
  const terms = searchTerms(search);
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

/**
 * The share of clients the status, area and owner filters keep, estimated (3 statuses, ~11 areas, ~12 owners):
 * enough to choose between walking an index in list order and seeking the few matches.
 */
export function filterShare(q: Pick<ClientFilterQuery, 'statuses' | 'areaIds' | 'ownerIds'>): number {
  return (q.statuses.length ? q.statuses.length / 3 : 1) * (q.areaIds.length ? q.areaIds.length / 11 : 1) * (q.ownerIds.length ? q.ownerIds.length / 12 : 1);
}

/** The filters (search aside) as conditions over `clients as c`. */
function filterPieces(q: ClientFilterQuery): Piece[] {
  const pieces: Piece[] = [];
  if (!q.includeArchived) pieces.push(piece('c.archived_at IS NULL'));
  // A broad filter matches many clients: unary + keeps its index out of the plan, so the list walks its sort
  // index and stops at the page size instead of collecting and sorting every match. A narrow combination
  // (estimated under 2 % of clients) is found faster through the facets index (status, area, owner, created),
  // then sorted.
  const plus = filterShare(q) < 0.02 ? '' : '+';
  if (q.statuses.length) pieces.push(piece(`${plus}c.status IN (${marks(q.statuses)})`, ...q.statuses));
  if (q.areaIds.length) pieces.push(piece(`${plus}c.area_id IN (${marks(q.areaIds)})`, ...q.areaIds));
  if (q.ownerIds.length) pieces.push(piece(`${plus}c.owner_id IN (${marks(q.ownerIds)})`, ...q.ownerIds));
  pieces.push(...createdPieces(q));
  return pieces;
}

/** Search and filters as SQL conditions over `clients as c`. */
export async function clientFilterConditions(_db: Kysely<DB>, q: ClientFilterQuery) {
  const search = searchPiece(q.search);
  return [...filterPieces(q), ...(search ? [search] : [])].map(expression);
}

/** How many clients the search and filters select (an export's progress total). */
export async function countClients(db: Kysely<DB>, q: ClientFilterQuery): Promise<number> {
  let query = db.selectFrom('clients as c').select((eb) => eb.fn.countAll<number>().as('n'));
  for (const condition of await clientFilterConditions(db, q)) query = query.where(condition);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** The list's sort keys, each the expression of its index (clients_name, clients_activity, …). */
const sortExpressions = {
  company_name: 'c.company_name COLLATE NOCASE',
  code: 'c.code',
  created_at: 'c.created_at',
  last_activity_at: "ifnull(c.last_activity_at, '')",
} as const;

/** A row of the clients list: the client, the names the UI shows, its open postings and its sort key. */
export type ClientListRow = ClientRecord & { area_name: string | null; area_key: string | null; owner_name: string | null; open_jobs: number; sort_value: string };

/** One page of the clients list, ordered by the sort key then id, positioned by keyset (never OFFSET). */
export async function listClients(db: Kysely<DB>, q: ClientListQuery) {
  return (await listClientsQuery(db, q)).execute();
}

function pageQuery(q: ClientListQuery, plan: SearchPlan, bound: string | null) {
  const keyset = keysetOf(q);
  const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
  const conditions = [...filterPieces(q), ...positionPieces(keyset, bound)];
  if (plan.kind !== 'none') conditions.push(...plan.terms.map(likePiece));
  // Rare terms: start from the index's candidates (CROSS JOIN keeps that loop order), then filter and sort them.
  // Common terms walk newest first through the index that holds the text (ANALYZE statistics make the planner
  // prefer the narrower clients_created, which reads every client row on the way).
  const from =
    plan.kind === 'index'
      ? 'clients_search CROSS JOIN clients c ON c.seq = clients_search.rowid'
      : plan.kind === 'scan' && q.sort === 'created_at' && !q.includeArchived
        ? 'clients c INDEXED BY clients_created_search'
        : 'clients c';
  if (plan.kind === 'index') conditions.push(piece('clients_search MATCH ?', plan.coarse));
  const w = where(conditions);
  // LEFT JOINs although every client has an area and stats: they keep clients as the outer loop, so the
  // planner walks the sort index and stops at the page size instead of scanning another table and sorting.
  return compiled<ClientListRow>(
    piece(
      `SELECT c.*, a.name AS area_name, a.key AS area_key, u.name AS owner_name, ifnull(s.open_jobs, 0) AS open_jobs, ${keyset.sort} AS sort_value
      FROM ${from}
      LEFT JOIN areas a ON a.id = c.area_id
      LEFT JOIN users u ON u.id = c.owner_id
      LEFT JOIN client_stats s ON s.seq = c.seq
      WHERE ${w.text}
      ORDER BY ${keyset.sort} ${dir}, c.id ${dir}
      LIMIT ?`,
      ...w.values,
      q.limit,
    ),
  );
}

const keysetOf = (q: ClientListQuery): Keyset => ({ sort: sortExpressions[q.sort], direction: q.direction, after: q.after });

/**
 * The list query (the screen, the export and the benchmark's raw-driver twin all run this SQL). `force`
 * imposes a search plan (and the walk's budget) instead of the estimate: tests check that every plan gives
 * the same page.
 */
export async function listClientsQuery(db: Kysely<DB>, q: ClientListQuery, force: { plan?: 'scan' | 'index'; budget?: number } = {}) {
  const estimated: SearchPlan = q.search.trim() ? await planClientSearch(db, q.search, filterShare(q), q.limit) : { kind: 'none' };
  const plan = forcedPlan(estimated, force, trigramQuery(q.search).coarse);
  // The walk's bound reads only conditions the sort index itself answers.
  const indexConditions = q.sort === 'created_at' ? createdPieces(q) : [];
  return plannedPage(db, { table: 'clients', fts: 'clients_search', keyset: keysetOf(q), limit: q.limit, indexConditions }, plan, (p, bound) => pageQuery(q, p, bound));
}

export function findClientRecord(db: Kysely<DB>, id: string) {
  return db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Many new clients, each with its first contacts' search text, in one statement (imports, restores): the
 * triggers index and count each row as for a single insert.
 */
export async function createClients(trx: Kysely<DB>, actor: Actor, clients: { values: NewClient; note: string | null; contacts: { name: string; email: string | null }[] }[]) {
  const rows = await createRecords(
    trx,
    actor,
    'client',
    clients.map((c) => ({ values: c.values, note: c.note, extra: { search_text: clientSearchText(c.values, c.contacts) } })),
    { skipAfter: true },
  );
  // The after hook's other work, for the whole batch: the duplicate engine's lookup keys.
  await insertMatchKeys(trx, rows);
  return rows;
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
