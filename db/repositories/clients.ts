import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import { insertMatchKeys } from '../sync/matchKeys';
import { foldForSearch } from '../../contract/normalize';
import type { ClientsTable, DB } from '../schema';
import { cachedRead } from '../statementCache';
import { clientSearchText } from '../sync/derived';
import { createRecord, createRecords, deleteRecord, restoreRecord, updateRecord, type Actor, type Values } from '../sync/write';

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

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}


/**
 * How a search narrows the clients. A client matches when every term is found in its search_text (name,
 * email, code, contacts' names and emails, folded); every plan tests exactly that, with LIKE on search_text:
 * - `scan`: check rows while walking the list's sort index, which stops at a full page. Right for common
 *   terms, and the only way for 1–2 character terms (trigrams need 3). `budget` bounds how many index entries
 *   the walk may visit before the index plan takes over (matches can bunch up in sort order: "trans" sorted
 *   by name only matches near "T"); null when there is no index plan to fall back on.
 * - `index`: start from the trigram index's candidates (clients_search) and sort the few matches. Right for
 *   rare terms.
 */
export type SearchPlan = { kind: 'none' } | { kind: 'scan'; terms: string[]; budget: number | null } | { kind: 'index'; coarse: string; terms: string[] };

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

// Quoted: FTS5 syntax typed by the user ("AND", "*", parentheses) is only ever plain text. Terms come from
// searchTerms or a normalised name key, which hold no control characters (a NUL cannot be quoted for FTS5).
const quoteFts = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** Trigrams (by character, as the tokenizer counts) that cover a term of 3+ characters. */
function coveringTrigrams(term: string): string[] {
  const chars = [...term];
  const trigrams: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i += 3) trigrams.push(chars.slice(i, i + 3).join(''));
  if (chars.length % 3) trigrams.push(chars.slice(-3).join(''));
  return trigrams;
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

/** Candidates read to estimate how common a search is; cheap even for common terms (the index stops early). */
const probeSize = 50;
/** Rough costs in µs: one row checked on the sort-index walk, one candidate read from the trigram index and sorted. */
const scanRowCost = 0.5;
const indexMatchCost = 1.5;
/** The walk may visit this many times the rows it is expected to need before the index plan takes over. */
const walkBudget = 3;

/**
 * Picks the cheaper plan from the first candidates in the trigram index. Rowids follow insertion, so the rowid
 * of the 50th candidate tells how dense matches are: the walk checks about limit / (density × share of the
 * filters) rows, the index plan sorts density × clients candidates. Any plan gives the same rows.
 */
export async function planSearch(db: Kysely<DB>, search: string, filterShare = 1, limit = 100): Promise<SearchPlan> {
  const { terms, coarse } = trigramQuery(search);
  if (!terms.length) return { kind: 'none' };
  if (!coarse) return { kind: 'scan', terms, budget: null };
  const rows = await cachedRead(
    db,
    CompiledQuery.raw(`SELECT rowid, (SELECT max(seq) FROM clients) AS clients FROM clients_search WHERE clients_search MATCH ? ORDER BY rowid LIMIT ${probeSize}`, [coarse]) as CompiledQuery<{ rowid: number; clients: number }>,
  );
  if (rows.length < probeSize) return { kind: 'index', coarse, terms };
  const density = probeSize / rows.at(-1)!.rowid;
  const walked = limit / (density * filterShare);
  const candidates = density * rows[0]!.clients;
  return walked * scanRowCost <= candidates * indexMatchCost ? { kind: 'scan', terms, budget: Math.ceil(walkBudget * walked) } : { kind: 'index', coarse, terms };
}

/**
 * A piece of SQL over `clients as c`, with `?` placeholders and their values in order. The list is assembled
 * from these plain strings rather than Kysely templates: it is the app's hottest path, and the builder's
 * compile step (a visit of every node, ~10 µs alone, several times that right after a query has flushed
 * the CPU caches) was a large part of the overhead the list may add to its SQL (DESIGN.md: ≤ 1.3× the raw
 * driver, where the SQL itself takes ~0.35 ms). Values only ever travel as parameters.
 */
interface Piece {
  text: string;
  values: unknown[];
}
const piece = (text: string, ...values: unknown[]): Piece => ({ text, values });
const joined = (pieces: Piece[], separator: string): Piece => ({ text: pieces.map((p) => p.text).join(separator), values: pieces.flatMap((p) => p.values) });
const marks = (values: unknown[]) => values.map(() => '?').join(', ');
const compiled = <R>(p: Piece) => CompiledQuery.raw(p.text, p.values) as CompiledQuery<R>;
/** The same piece as a Kysely expression (no piece contains a literal `?`: every value is a parameter). */
const expression = (p: Piece) => {
  const strings = p.text.split('?');
  return sql<boolean>(Object.assign(strings, { raw: strings }) as unknown as TemplateStringsArray, ...p.values);
};

const likePiece = (term: string) => piece(`c.search_text LIKE ? ESCAPE '\\'`, `%${escapeLike(term)}%`);
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

function createdPieces(q: Pick<ClientFilterQuery, 'createdFrom' | 'createdTo'>): Piece[] {
  const pieces: Piece[] = [];
  if (q.createdFrom) pieces.push(piece('c.created_at >= ?', `${q.createdFrom}T00:00:00.000Z`));
  if (q.createdTo) pieces.push(piece('c.created_at < ?', nextDay(q.createdTo)));
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

/** Rows strictly after a keyset position in list order. The plain range term lets SQLite seek the sort index to it. */
function afterPiece(q: ClientListQuery, at: { value: string; id: string }): Piece {
  const sort = sortExpressions[q.sort];
  return q.direction === 'desc'
    ? piece(`${sort} <= ? AND (${sort} < ? OR c.id < ?)`, at.value, at.value, at.id)
    : piece(`${sort} >= ? AND (${sort} > ? OR c.id > ?)`, at.value, at.value, at.id);
}

const where = (pieces: Piece[]) => (pieces.length ? joined(pieces, ' AND ') : piece('1'));

function pageQuery(q: ClientListQuery, plan: SearchPlan, bound: string | null) {
  const sort = sortExpressions[q.sort];
  const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
  const conditions = filterPieces(q);
  if (q.after) conditions.push(afterPiece(q, q.after));
  // The walk's budget: up to the bound in list order (ties included), a range the walk stops at.
  if (bound !== null) conditions.push(piece(q.direction === 'desc' ? `${sort} >= ?` : `${sort} <= ?`, bound));
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
      `SELECT c.*, a.name AS area_name, a.key AS area_key, u.name AS owner_name, ifnull(s.open_jobs, 0) AS open_jobs, ${sort} AS sort_value
      FROM ${from}
      LEFT JOIN areas a ON a.id = c.area_id
      LEFT JOIN users u ON u.id = c.owner_id
      LEFT JOIN client_stats s ON s.seq = c.seq
      WHERE ${w.text}
      ORDER BY ${sort} ${dir}, c.id ${dir}
      LIMIT ?`,
      ...w.values,
      q.limit,
    ),
  );
}

/** The list position `budget` entries down the sort index from where the page starts: where the walk gives up. */
async function walkBound(db: Kysely<DB>, q: ClientListQuery, budget: number) {
  const sort = sortExpressions[q.sort];
  const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
  // Only conditions the sort index itself answers, so this reads the index alone.
  const conditions = q.sort === 'created_at' ? createdPieces(q) : [];
  if (q.after) conditions.push(afterPiece(q, q.after));
  const w = where(conditions);
  const rows = await cachedRead(
    db,
    compiled<{ value: string }>(piece(`SELECT ${sort} AS value FROM clients c WHERE ${w.text} ORDER BY ${sort} ${dir}, c.id ${dir} LIMIT 1 OFFSET ?`, ...w.values, budget)),
  );
  return rows[0]?.value ?? null;
}

/** One page of the list, planned: its SQL, and how to run it (with the index plan as the walk's fallback). */
class ClientListPage {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly q: ClientListQuery,
    private readonly plan: SearchPlan,
    private readonly bound: string | null,
    private readonly query: CompiledQuery<ClientListRow>,
  ) {}

  compile() {
    return this.query;
  }

  async execute() {
    const { db, q, plan, bound } = this;
    const rows = await cachedRead(db, this.query);
    // The walk ran out of budget before filling the page: the matches are rarer here than estimated.
    if (bound === null || rows.length >= q.limit || plan.kind !== 'scan') return rows;
    return cachedRead(db, pageQuery(q, { kind: 'index', coarse: trigramQuery(q.search).coarse!, terms: plan.terms }, null));
  }
}

/**
 * The list query (the screen, the export and the benchmark's raw-driver twin all run this SQL). `force`
 * imposes a search plan (and the walk's budget) instead of the estimate: tests check that every plan gives
 * the same page.
 */
export async function listClientsQuery(db: Kysely<DB>, q: ClientListQuery, force: { plan?: 'scan' | 'index'; budget?: number } = {}) {
  let plan: SearchPlan = q.search.trim() ? await planSearch(db, q.search, filterShare(q), q.limit) : { kind: 'none' };
  if (force.plan && plan.kind !== 'none') {
    const { terms, coarse } = trigramQuery(q.search);
    plan = force.plan === 'index' && coarse ? { kind: 'index', coarse, terms } : { kind: 'scan', terms, budget: coarse ? (force.budget ?? null) : null };
  }
  const bound = plan.kind === 'scan' && plan.budget !== null ? await walkBound(db, q, plan.budget) : null;
  return new ClientListPage(db, q, plan, bound, pageQuery(q, plan, bound));
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
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
