import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import type { CandidatesTable, DB } from '../schema';
import { cachedRead } from '../statementCache';
import { tagToken } from '../sync/candidates';
import { createRecord, createRecords, deleteRecord, restoreRecord, updateRecord, type Actor, type Values } from '../sync/write';
import { searchTerms } from './clients';
import {
  compiled, coveringTrigrams, createdPieces, forcedPlan, likePiece, ListPage, marks, piece, plannedPage, planSearch, positionPieces, quoteFts, where, type Keyset, type Piece, type SearchPlan,
} from './listPlanner';

// The candidates list: the clients list's design (db/repositories/clients.ts) over its own tables — a trigram
// index of the folded search text (candidates_search), two search plans chosen per query from the index's
// density, pages by key — so 200 000 candidates answer within the clients list's targets. Tags are words of
// the search text (`#tag#`): a tag filter is a search term that matches whole tags only.

export type CandidateRecord = Selectable<CandidatesTable>;

export interface CandidateFilterQuery {
  search: string;
  sources: string[];
  tags: string[];
  ownerIds: string[];
  createdFrom: string | null;
  createdTo: string | null;
  includeDeleted: boolean;
}

export interface CandidateListQuery extends CandidateFilterQuery {
  sort: 'created_at' | 'full_name';
  direction: 'asc' | 'desc';
  limit: number;
  after: { value: string; id: string } | null;
}

/** A row of the list: what the screen shows, its owner's name, its live applications and its sort key. */
export interface CandidateListRow {
  id: string;
  code: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  location: string | null;
  current_title: string | null;
  current_company: string | null;
  source: string | null;
  tags: string;
  created_at: string;
  deleted_at: string | null;
  owner_name: string | null;
  applications: number;
  sort_value: string;
}

/** Every term the list must find in a candidate's search text: the typed words (folded) and each tag filter as `#tag#`. */
export function candidateTerms(q: Pick<CandidateFilterQuery, 'search' | 'tags'>): string[] {
  return [...new Set([...searchTerms(q.search), ...q.tags.filter((t) => t.trim()).map(tagToken)])];
}

/** The trigrams covering the terms of 3+ characters (none when every term is shorter: trigrams need 3). */
function coveringOf(terms: string[]): string[] {
  return [...new Set(terms.filter((t) => [...t].length >= 3).flatMap(coveringTrigrams))];
}

/** The index query for the terms of 3+ characters, or null when every term is shorter. */
function coarseMatch(terms: string[]): string | null {
  const trigrams = coveringOf(terms);
  return trigrams.length ? trigrams.map(quoteFts).join(' AND ') : null;
}

export type CandidateSearchPlan = SearchPlan;

/** A trigram that more than half the candidates have narrows little and is the costliest to read. */
const commonTrigram = 0.5;

/** Rows read at each of three places of the table to tell how common a trigram is. */
const sampleSize = 64;

/**
 * The share of candidates whose search text has each trigram, from rows read by row number at the start, a third
 * and two thirds into the table: rows are stored in the order they were written, so one stretch (an import of
 * one surname) alone would make a trigram look common that is not. Reading a common trigram's entry in the index
 * to find out would cost what leaving it out saves.
 */
async function trigramShares(db: Kysely<DB>, trigrams: string[]): Promise<number[]> {
  // The n-th third's rows: those after n / 3 of the highest row number.
  const part = `SELECT * FROM (SELECT search_text FROM candidates WHERE seq > coalesce((SELECT max(seq) FROM candidates), 0) * ? / 3 ORDER BY seq LIMIT ${sampleSize})`;
  const rows = await cachedRead(db, CompiledQuery.raw(`${part} UNION ALL ${part} UNION ALL ${part}`, [0, 1, 2]) as CompiledQuery<{ search_text: string }>);
  return trigrams.map((t) => (rows.length ? rows.filter((r) => r.search_text.includes(t)).length / rows.length : 0));
}

/**
 * The index query over the covering trigrams that narrow the search: one that most candidates have (every
 * email's "can" of "candidate1234", a common surname's "cia") is left to LIKE, which checks every term anyway —
 * reading its whole entry in the index cost more than the rest of the search. The rarest is always kept.
 */
async function selectiveMatch(db: Kysely<DB>, terms: string[]): Promise<string | null> {
  const trigrams = coveringOf(terms);
  if (trigrams.length <= 1) return trigrams.length ? quoteFts(trigrams[0]!) : null;
  const shares = await trigramShares(db, trigrams);
  const densities = trigrams.map((t, i) => ({ t, density: shares[i]! }));
  const rarest = densities.reduce((a, b) => (b.density < a.density ? b : a));
  const kept = densities.filter((d) => d.density <= commonTrigram);
  return (kept.length ? kept : [rarest]).map((d) => quoteFts(d.t)).join(' AND ');
}

/** The cheaper plan for these terms (listPlanner.ts `planSearch`), over the trigrams that narrow them. */
export async function planCandidateSearch(db: Kysely<DB>, terms: string[], filterShare = 1, limit = 100): Promise<CandidateSearchPlan> {
  return planSearch(db, { table: 'candidates', fts: 'candidates_search' }, terms, terms.length ? await selectiveMatch(db, terms) : null, filterShare, limit);
}

/** The share of candidates the source and owner filters keep, roughly (a handful of sources, about a dozen owners). */
export const candidateFilterShare = (q: Pick<CandidateFilterQuery, 'sources' | 'ownerIds'>) => (q.sources.length ? Math.min(1, q.sources.length / 6) : 1) * (q.ownerIds.length ? Math.min(1, q.ownerIds.length / 12) : 1);

/** The filters (search aside) as conditions over `candidates as c`. */
function filterPieces(q: CandidateFilterQuery): Piece[] {
  const pieces: Piece[] = [];
  if (!q.includeDeleted) pieces.push(piece('c.deleted_at IS NULL'));
  // Unary +: a source or owner filter is checked while the list walks its sort index (and stops at a full page);
  // only a narrow combination seeks the source index and sorts what it finds.
  const plus = candidateFilterShare(q) < 0.02 ? '' : '+';
  if (q.sources.length) pieces.push(piece(`${plus}c.source IN (${marks(q.sources)})`, ...q.sources));
  if (q.ownerIds.length) pieces.push(piece(`+c.owner_id IN (${marks(q.ownerIds)})`, ...q.ownerIds));
  pieces.push(...createdPieces(q));
  return pieces;
}

const sortExpressions = { created_at: 'c.created_at', full_name: 'c.full_name COLLATE NOCASE' } as const;

const keysetOf = (q: CandidateListQuery): Keyset => ({ sort: sortExpressions[q.sort], direction: q.direction, after: q.after });

function pageQuery(q: CandidateListQuery, plan: CandidateSearchPlan, bound: string | null) {
  const sort = sortExpressions[q.sort];
  const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
  const conditions = [...filterPieces(q), ...positionPieces(keysetOf(q), bound)];
  if (plan.kind !== 'none') conditions.push(...plan.terms.map(likePiece));
  const from =
    plan.kind === 'index'
      ? 'candidates_search CROSS JOIN candidates c ON c.seq = candidates_search.rowid'
      : plan.kind === 'scan' && q.sort === 'created_at' && !q.includeDeleted
        ? 'candidates c INDEXED BY candidates_created_search'
        : 'candidates c';
  if (plan.kind === 'index') conditions.push(piece('candidates_search MATCH ?', plan.coarse));
  const w = where(conditions);
  return compiled<CandidateListRow>(
    piece(
      `SELECT c.id, c.code, c.full_name, c.email, c.phone, c.location, c.current_title, c.current_company, c.source, c.tags, c.created_at, c.deleted_at,
        u.name AS owner_name, (SELECT count(*) FROM applications a WHERE a.candidate_id = c.id AND a.deleted_at IS NULL) AS applications, ${sort} AS sort_value
      FROM ${from}
      LEFT JOIN users u ON u.id = c.owner_id
      WHERE ${w.text}
      ORDER BY ${sort} ${dir}, c.id ${dir}
      LIMIT ?`,
      ...w.values,
      q.limit,
    ),
  );
}

/**
 * True when no live candidate can have every tag of the filter with one of its sources, by the counts of
 * candidate_tag_sources (db/sync/candidates.ts): a combination nobody has is answered from a few rows of that
 * table instead of a walk of every candidate. A candidate has one source, so all its tags share it: a candidate
 * with every tag needs a source that has every tag.
 */
async function noCandidateHasTags(db: Kysely<DB>, q: Pick<CandidateFilterQuery, 'tags' | 'sources' | 'includeDeleted'>): Promise<boolean> {
  const tags = [...new Set(q.tags.filter((t) => t.trim()).map(tagToken))];
  if (!tags.length || q.includeDeleted) return false;
  const sources = q.sources.length ? piece(` AND source IN (${marks(q.sources)})`, ...q.sources) : piece('');
  const rows = await cachedRead(
    db,
    compiled<{ source: string }>(piece(`SELECT source FROM candidate_tag_sources WHERE tag IN (${marks(tags)})${sources.text} GROUP BY source HAVING count(*) = ? LIMIT 1`, ...tags, ...sources.values, tags.length)),
  );
  return rows.length === 0;
}

/** The list query (the screen, the export and the benchmark's raw-driver twin run this SQL); `force` imposes a plan (tests). */
export async function listCandidatesQuery(db: Kysely<DB>, q: CandidateListQuery, force: { plan?: 'scan' | 'index'; budget?: number } = {}): Promise<ListPage<CandidateListRow>> {
  const page = (plan: CandidateSearchPlan, bound: string | null) => pageQuery(q, plan, bound);
  if (await noCandidateHasTags(db, q)) return new ListPage(db, q.limit, { kind: 'none' }, null, page({ kind: 'none' }, null), (index) => page(index, null), true);
  const terms = candidateTerms(q);
  const plan = forcedPlan(await planCandidateSearch(db, terms, candidateFilterShare(q), q.limit), force, coarseMatch(terms));
  const indexConditions = q.sort === 'created_at' ? createdPieces(q) : [];
  return plannedPage(db, { table: 'candidates', fts: 'candidates_search', keyset: keysetOf(q), limit: q.limit, indexConditions }, plan, page);
}

export async function listCandidates(db: Kysely<DB>, q: CandidateListQuery) {
  return (await listCandidatesQuery(db, q)).execute();
}

/** How many candidates the search and filters select (an export's progress total). */
export async function countCandidates(db: Kysely<DB>, q: CandidateFilterQuery): Promise<number> {
  if (await noCandidateHasTags(db, q)) return 0;
  const terms = candidateTerms(q);
  const conditions = [...filterPieces(q), ...terms.map(likePiece)];
  const coarse = coarseMatch(terms);
  if (coarse) conditions.push(piece('c.seq IN (SELECT rowid FROM candidates_search WHERE candidates_search MATCH ?)', coarse));
  const w = where(conditions);
  const rows = await db.executeQuery(compiled<{ n: number }>(piece(`SELECT count(*) AS n FROM candidates c WHERE ${w.text}`, ...w.values)));
  return Number(rows.rows[0]?.n ?? 0);
}

export function findCandidate(db: Kysely<DB>, id: string) {
  return db.selectFrom('candidates as c').leftJoin('users as u', 'u.id', 'c.owner_id').selectAll('c').select('u.name as owner_name').where('c.id', '=', id).executeTakeFirst();
}

export function countCandidateApplications(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('candidate_id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/** Sources and tags in use by live candidates, most frequent first (the list's filter choices). */
export async function candidateFacets(db: Kysely<DB>) {
  const sources = await sql<{ value: string; n: number }>`
    SELECT source AS value, count(*) AS n FROM candidates INDEXED BY candidates_source WHERE deleted_at IS NULL AND source IS NOT NULL GROUP BY source ORDER BY n DESC, source LIMIT 100`.execute(db);
  const tags = await sql<{ value: string; n: number }>`
    SELECT t.value AS value, count(*) AS n FROM candidates c, json_each(c.tags) t WHERE c.deleted_at IS NULL AND c.tags <> '[]'
    GROUP BY lower(t.value) ORDER BY n DESC, t.value LIMIT 200`.execute(db);
  return { sources: sources.rows.map((r) => ({ value: r.value, count: Number(r.n) })), tags: tags.rows.map((r) => ({ value: r.value, count: Number(r.n) })) };
}

export type NewCandidate = Values<'candidate'> & { id: string; code: string; full_name: string; tags: string; created_at: string };

export function createCandidate(trx: Kysely<DB>, actor: Actor, values: NewCandidate, note: string | null = null) {
  return createRecord(trx, actor, 'candidate', values, { note });
}

export function createCandidates(trx: Kysely<DB>, actor: Actor, rows: { values: NewCandidate; note: string | null }[]) {
  return createRecords(trx, actor, 'candidate', rows);
}

export function updateCandidate(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'candidate'>, options: { version?: number; note?: string | null } = {}) {
  return updateRecord(trx, actor, 'candidate', id, patch, options);
}

export function setCandidateDeleted(trx: Kysely<DB>, actor: Actor, id: string, deleted: boolean, options: { version?: number } = {}) {
  return deleted ? deleteRecord(trx, actor, 'candidate', id, options) : restoreRecord(trx, actor, 'candidate', id, options);
}

// ── Documents ────────────────────────────────────────────────────────────────────────────────────────

export function documentsOfCandidate(db: Kysely<DB>, candidateId: string) {
  return db.selectFrom('candidate_documents').selectAll().where('candidate_id', '=', candidateId).where('deleted_at', 'is', null).orderBy('created_at').execute();
}

export type NewCandidateDocument = Values<'candidate_document'> & { id: string; candidate_id: string; kind: 'cv' | 'other'; sha256: string; file_name: string; mime_type: string; size_bytes: number; created_at: string };

export function addCandidateDocument(trx: Kysely<DB>, actor: Actor, values: NewCandidateDocument) {
  return createRecord(trx, actor, 'candidate_document', values);
}

export function removeCandidateDocument(trx: Kysely<DB>, actor: Actor, id: string) {
  return deleteRecord(trx, actor, 'candidate_document', id);
}

// ── Duplicates (main/duplicates/people.ts) ─────────────────────────────────────────────────────────────

const personColumns = ['id', 'code', 'full_name', 'email', 'phone', 'current_company', 'name_key', 'email_key', 'phone_key', 'company_key'] as const;
export type PersonRow = Pick<CandidateRecord, (typeof personColumns)[number]>;

/** Live candidates with any of these emails, phones or employers (normalised keys), at most `limit` per key kind. */
export async function findCandidatesByKeys(db: Kysely<DB>, keys: { emailKeys: string[]; phoneKeys: string[]; companyKeys: string[] }, options: { excludeId?: string | null; limit?: number } = {}): Promise<PersonRow[]> {
  const live = () => {
    const query = db.selectFrom('candidates').select(personColumns).where('deleted_at', 'is', null);
    return options.excludeId ? query.where('id', '!=', options.excludeId) : query;
  };
  const limit = options.limit ?? 500;
  const found = new Map<string, PersonRow>();
  // One indexed lookup per kind of key (an OR would scan every candidate).
  for (const [column, values] of [['email_key', keys.emailKeys], ['phone_key', keys.phoneKeys], ['company_key', keys.companyKeys]] as const) {
    for (let i = 0; i < values.length; i += 500) {
      const chunk = values.slice(i, i + 500);
      if (!chunk.length) continue;
      for (const row of await live().where(column, 'in', chunk).limit(limit * chunk.length).execute()) found.set(row.id, row);
    }
  }
  return [...found.values()];
}

// ── History ────────────────────────────────────────────────────────────────────────────────────────────

/** The change-log rows of a candidate and of what belongs to it (documents, applications, placements), newest first. */
export async function candidateHistoryRows(db: Kysely<DB>, candidateId: string, limit: number, beforeSeq: number | null) {
  const [documents, applications, placements] = await Promise.all([
    db.selectFrom('candidate_documents').select('id').where('candidate_id', '=', candidateId).execute(),
    db.selectFrom('applications').select('id').where('candidate_id', '=', candidateId).execute(),
    db.selectFrom('placements').select('id').where('candidate_id', '=', candidateId).execute(),
  ]);
  const owned = [
    ['candidate', [candidateId]],
    ['candidate_document', documents.map((d) => d.id)],
    ['application', applications.map((a) => a.id)],
    ['placement', placements.map((p) => p.id)],
  ] as const;
  let query = db
    .selectFrom('change_log as l')
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .selectAll('l')
    .select('u.name as user_name')
    .where((eb) => eb.or(owned.filter(([, ids]) => ids.length).map(([entity, ids]) => eb.and([eb('l.entity', '=', entity), eb('l.entity_id', 'in', [...ids])]))));
  if (beforeSeq !== null) query = query.where('l.seq', '<', beforeSeq);
  return query.orderBy('l.seq', 'desc').limit(limit).execute();
}
