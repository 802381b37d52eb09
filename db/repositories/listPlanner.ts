import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from '../schema';
import { cachedRead } from '../statementCache';

// The pieces of a "filters + search + keyset cursor" list over a table with a trigram index of its folded search
// text: the clients list (clients.ts) and the candidates list (candidates.ts) name their columns, filters and
// indexes, and share the SQL pieces, the search plans, the keyset position and the walk's budget.
//
// A list's SQL is assembled from plain strings rather than Kysely templates: it is the app's hottest path, and
// the builder's compile step (a visit of every node, ~10 µs alone, several times that right after a query has
// flushed the CPU caches) was a large part of the overhead the list may add to its SQL (DESIGN.md: ≤ 1.3× the
// raw driver, where the SQL itself takes ~0.35 ms). Values only ever travel as parameters.

/** A piece of SQL over the list's table (alias `c`), with `?` placeholders and their values in order. */
export interface Piece {
  text: string;
  values: unknown[];
}
export const piece = (text: string, ...values: unknown[]): Piece => ({ text, values });
export const joined = (pieces: Piece[], separator: string): Piece => ({ text: pieces.map((p) => p.text).join(separator), values: pieces.flatMap((p) => p.values) });
export const marks = (values: unknown[]) => values.map(() => '?').join(', ');
export const compiled = <R>(p: Piece) => CompiledQuery.raw(p.text, p.values) as CompiledQuery<R>;
/** Every condition, or true. */
export const where = (pieces: Piece[]) => (pieces.length ? joined(pieces, ' AND ') : piece('1'));

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// Quoted: FTS5 syntax typed by the user ("AND", "*", parentheses) is only ever plain text. Terms come from
// searchTerms or a normalised key, which hold no control characters (a NUL cannot be quoted for FTS5).
export const quoteFts = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** Trigrams (by character, as the tokenizer counts) that cover a term of 3+ characters side by side. */
export function coveringTrigrams(term: string): string[] {
  const chars = [...term];
  const trigrams: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i += 3) trigrams.push(chars.slice(i, i + 3).join(''));
  if (chars.length % 3) trigrams.push(chars.slice(-3).join(''));
  return trigrams;
}

/** `c.search_text` holds the term (folded); the test every search plan ends with. */
export const likePiece = (term: string) => piece(`c.search_text LIKE ? ESCAPE '\\'`, `%${escapeLike(term)}%`);

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** The created-between filter (days, inclusive) over `c.created_at`. */
export function createdPieces(q: { createdFrom: string | null; createdTo: string | null }): Piece[] {
  const pieces: Piece[] = [];
  if (q.createdFrom) pieces.push(piece('c.created_at >= ?', `${q.createdFrom}T00:00:00.000Z`));
  if (q.createdTo) pieces.push(piece('c.created_at < ?', nextDay(q.createdTo)));
  return pieces;
}

/**
 * How a search narrows the list. A row matches when every term is found in its search_text; every plan tests
 * exactly that, with LIKE on search_text:
 * - `scan`: check rows while walking the list's sort index, which stops at a full page. Right for common
 *   terms, and the only way for 1–2 character terms (trigrams need 3). `budget` bounds how many index entries
 *   the walk may visit before the index plan (`coarse`) takes over (matches can bunch up in sort order: "trans"
 *   sorted by name only matches near "T"); null when there is no index plan to fall back on.
 * - `index`: start from the trigram index's matches of `coarse` and sort the few rows. Right for rare terms.
 */
export type SearchPlan = { kind: 'none' } | { kind: 'scan'; terms: string[]; budget: number | null; coarse: string | null } | { kind: 'index'; coarse: string; terms: string[] };

/** Matches read to estimate how common a search is; cheap even for common terms (the index stops early). */
export const probeSize = 50;
/** Rough costs in µs: one row checked on the sort-index walk, one match read from the trigram index and sorted. */
const scanRowCost = 0.5;
const indexMatchCost = 1.5;
/** The walk may visit this many times the rows it is expected to need before the index plan takes over. */
const walkBudget = 3;

/**
 * Picks the cheaper plan from the first matches of `coarse` in the trigram index `fts` of `table`. Rowids follow
 * insertion, so the rowid of the 50th tells how dense matches are: the walk checks about limit / (density × share
 * of the filters) rows, the index plan sorts density × rows matches. Any plan gives the same rows.
 */
export async function planSearch(db: Kysely<DB>, index: { table: string; fts: string }, terms: string[], coarse: string | null, filterShare: number, limit: number): Promise<SearchPlan> {
  if (!terms.length) return { kind: 'none' };
  if (!coarse) return { kind: 'scan', terms, budget: null, coarse: null };
  const rows = await cachedRead(
    db,
    CompiledQuery.raw(`SELECT rowid, (SELECT max(seq) FROM ${index.table}) AS total FROM ${index.fts} WHERE ${index.fts} MATCH ? ORDER BY rowid LIMIT ${probeSize}`, [coarse]) as CompiledQuery<{ rowid: number; total: number }>,
  );
  if (rows.length < probeSize) return { kind: 'index', coarse, terms };
  const density = probeSize / rows.at(-1)!.rowid;
  const walked = limit / (density * filterShare);
  const matches = density * rows[0]!.total;
  return walked * scanRowCost <= matches * indexMatchCost ? { kind: 'scan', terms, budget: Math.ceil(walkBudget * walked), coarse } : { kind: 'index', coarse, terms };
}

/** A plan imposed instead of the estimate (tests check that every plan gives the same page). */
export function forcedPlan(plan: SearchPlan, force: { plan?: 'scan' | 'index'; budget?: number }, coarse: string | null): SearchPlan {
  if (!force.plan || plan.kind === 'none') return plan;
  return force.plan === 'index' && coarse ? { kind: 'index', coarse, terms: plan.terms } : { kind: 'scan', terms: plan.terms, budget: coarse ? (force.budget ?? null) : null, coarse };
}

export interface Keyset {
  /** The sort key's expression (that of its index). */
  sort: string;
  direction: 'asc' | 'desc';
  after: { value: string; id: string } | null;
}

/** Rows strictly after a keyset position in list order. The plain range term lets SQLite seek the sort index to it. */
export function afterPiece(k: Keyset, at: { value: string; id: string }): Piece {
  return k.direction === 'desc'
    ? piece(`${k.sort} <= ? AND (${k.sort} < ? OR c.id < ?)`, at.value, at.value, at.id)
    : piece(`${k.sort} >= ? AND (${k.sort} > ? OR c.id > ?)`, at.value, at.value, at.id);
}

/** The conditions of a page's position: after the cursor, and (a walk with a budget) up to its bound, ties included. */
export function positionPieces(k: Keyset, bound: string | null): Piece[] {
  const pieces = k.after ? [afterPiece(k, k.after)] : [];
  if (bound !== null) pieces.push(piece(k.direction === 'desc' ? `${k.sort} >= ?` : `${k.sort} <= ?`, bound));
  return pieces;
}

/**
 * The list position `budget` entries down the sort index of `table` from where the page starts: where the walk
 * gives up. `conditions` are only those the sort index itself answers, so this reads the index alone.
 */
export async function walkBound(db: Kysely<DB>, table: string, k: Keyset, conditions: Piece[], budget: number): Promise<string | null> {
  const dir = k.direction === 'desc' ? 'DESC' : 'ASC';
  const w = where([...conditions, ...positionPieces(k, null)]);
  const rows = await cachedRead(db, compiled<{ value: string }>(piece(`SELECT ${k.sort} AS value FROM ${table} c WHERE ${w.text} ORDER BY ${k.sort} ${dir}, c.id ${dir} LIMIT 1 OFFSET ?`, ...w.values, budget)));
  return rows[0]?.value ?? null;
}

/** One page of a list, planned: its SQL, and how to run it (with the index plan as the walk's fallback). */
export class ListPage<R> {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly limit: number,
    private readonly plan: SearchPlan,
    private readonly bound: string | null,
    private readonly query: CompiledQuery<R>,
    /** The same page by the index plan. */
    private readonly byIndex: (plan: SearchPlan & { kind: 'index' }) => CompiledQuery<R>,
    /** Known to be empty without reading the table (the candidates' tag counts). */
    readonly empty = false,
  ) {}

  compile() {
    return this.query;
  }

  async execute(): Promise<R[]> {
    const { db, plan, bound } = this;
    if (this.empty) return [];
    const rows = await cachedRead(db, this.query);
    // The walk ran out of budget before filling the page: the matches are rarer here than estimated.
    if (bound === null || rows.length >= this.limit || plan.kind !== 'scan' || !plan.coarse) return rows;
    return cachedRead(db, this.byIndex({ kind: 'index', coarse: plan.coarse, terms: plan.terms }));
  }
}

/** Plans a page: the search plan (imposed by `force` in tests), the walk's bound, and the page. */
export async function plannedPage<R>(
  db: Kysely<DB>,
  list: { table: string; fts: string; keyset: Keyset; limit: number; indexConditions: Piece[] },
  plan: SearchPlan,
  pageQuery: (plan: SearchPlan, bound: string | null) => CompiledQuery<R>,
): Promise<ListPage<R>> {
  const bound = plan.kind === 'scan' && plan.budget !== null ? await walkBound(db, list.table, list.keyset, list.indexConditions, plan.budget) : null;
  return new ListPage(db, list.limit, plan, bound, pageQuery(plan, bound), (index) => pageQuery(index, null));
}
