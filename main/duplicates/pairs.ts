import { sql, type Kysely } from 'kysely';
import type { DuplicatePair, PairClient } from '../../contract/duplicates';
import type { DB } from '../../db/schema';
import { compareCompanies, findCandidates, profileOf, type Profile, type Verdict } from './companies';
import { companyMatchKeys } from '../../contract/companies';

// The possible duplicates already in the database, for the review page: pairs of live clients that share a
// lookup key of the engine (client_match_keys joined with itself, key by key: never every client against every
// other), each scored by the same engine that answers the client modal, best first.
//
// A key many clients share says little and makes pairs by the square of its count (100 clients sharing a key are
// 4 950 pairs, which nobody reviews one by one): a key that names the company (email, name, web domain) counts
// when at most 20 clients share it, a word, its typo variants or the name but one word when at most 5 do. At
// 100 000 generated clients (db/seed, names built from few words) that is about a second for the key table and
// the engine's scoring together, once per change of the data (the list is kept per log position).

type Scored = { first: string; second: string; verdict: Verdict | null };

const pairKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Every pair of live clients sharing a lookup key, smaller id first. */
async function candidatePairs(db: Kysely<DB>): Promise<[string, string][]> {
  const { rows } = await sql<{ a: string; b: string }>`
    WITH shared AS (
      SELECT key FROM client_match_keys GROUP BY key
      HAVING count(*) BETWEEN 2 AND (CASE WHEN substr(key, 1, 2) IN ('e:', 'n:', 'd:') THEN 20 ELSE 5 END)
    )
    SELECT DISTINCT a.client_id AS a, b.client_id AS b
    FROM shared s JOIN client_match_keys a ON a.key = s.key JOIN client_match_keys b ON b.key = s.key AND b.client_id > a.client_id`.execute(db);
  return rows.map((r) => [r.a, r.b]);
}

/** The pairs of these clients (an import's rows) with any other live client, through the engine's own lookup. */
async function pairsOf(db: Kysely<DB>, ids: string[]): Promise<[string, string][]> {
  const pairs = new Map<string, [string, string]>();
  const clients = await db.selectFrom('clients').select(['id', 'company_name', 'email', 'website']).where('id', 'in', ids.length ? ids : ['']).where('archived_at', 'is', null).execute();
  for (const client of clients) {
    for (const other of await findCandidates(db, companyMatchKeys(client), client.id)) {
      const key = pairKey(client.id, other.id);
      pairs.set(key, key.split(':') as [string, string]);
    }
  }
  return [...pairs.values()];
}

/** The pairs people marked "Not a duplicate" (both clients still there). */
async function dismissedList(db: Kysely<DB>): Promise<[string, string][]> {
  const rows = await db.selectFrom('duplicate_dismissals').select(['first_id', 'second_id']).where('kind', '=', 'client').where('deleted_at', 'is', null).execute();
  return rows.map((r) => [r.first_id, r.second_id]);
}

async function loadClients(db: Kysely<DB>, ids: string[]): Promise<Map<string, PairClient & { archived: boolean }>> {
  const { rows } = await sql<{ id: string; code: string; company_name: string; email: string; website: string | null; phone: string | null; created_at: string; archived_at: string | null }>`
    SELECT c.id, c.code, c.company_name, c.email, c.website, c.phone, c.created_at, c.archived_at FROM json_each(${JSON.stringify(ids)}) j JOIN clients c ON c.id = j.value`.execute(db);
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, companyName: r.company_name, email: r.email, website: r.website, phone: r.phone, createdAt: r.created_at, archived: r.archived_at !== null }]));
}

/** Best first: blocks, then score, then the codes (a stable order for the same data). */
export function pairSortKey(pair: Pick<DuplicatePair, 'decision' | 'score' | 'first' | 'second'>): string {
  const rank = pair.decision === 'block' ? 0 : pair.decision === 'warn' ? 1 : 2;
  return `${rank}${String(100 - Math.round(pair.score)).padStart(3, '0')}${pair.first.code}\u0001${pair.second.code}`;
}

/** Scores pairs with the engine; pairs of a removed client are left out, and, unless `keepUntied`, pairs the engine no longer ties. */
async function score(db: Kysely<DB>, pairs: [string, string][], keepUntied: boolean): Promise<DuplicatePair[]> {
  const clients = await loadClients(db, [...new Set(pairs.flat())]);
  const out: DuplicatePair[] = [];
  const scored: Scored[] = [];
  // Each client is read by the engine once, however many pairs it is in.
  const profiles = new Map<string, Profile>();
  const profile = (client: PairClient) => {
    let known = profiles.get(client.id);
    if (!known) profiles.set(client.id, (known = profileOf({ company_name: client.companyName, email: client.email, website: client.website })));
    return known;
  };
  for (const [a, b] of pairs) {
    const first = clients.get(a);
    const second = clients.get(b);
    if (!first || !second || first.archived || second.archived) continue;
    const verdict = compareCompanies(profile(first), profile(second));
    if (verdict || keepUntied) scored.push({ first: a, second: b, verdict });
  }
  for (const { first, second, verdict } of scored) {
    const { archived: _a, ...one } = clients.get(first)!;
    const { archived: _b, ...two } = clients.get(second)!;
    // The older client first: the one a recruiter most likely keeps.
    const [x, y] = one.createdAt <= two.createdAt ? [one, two] : [two, one];
    out.push({ key: pairKey(first, second), decision: verdict?.decision ?? null, score: verdict?.score ?? 0, reasons: verdict?.reasons ?? [], first: x, second: y });
  }
  return out.sort((p, q) => (pairSortKey(p) < pairSortKey(q) ? -1 : pairSortKey(p) > pairSortKey(q) ? 1 : 0));
}

/** The last full list per database and log position: paging through it reads the key table once, not once a page. */
const cache = new WeakMap<Kysely<DB>, { at: string; pairs: DuplicatePair[] }>();

/**
 * The possible duplicates to review, best first: every tied pair of live clients not dismissed; or only the pairs
 * of `clientIds`; or, with `dismissed`, the dismissed pairs.
 */
export async function reviewPairs(db: Kysely<DB>, options: { dismissed: boolean; clientIds: string[] | null }): Promise<DuplicatePair[]> {
  if (options.dismissed) return score(db, await dismissedList(db), true);
  const visible = async (pairs: [string, string][]) => {
    const dismissed = new Set((await dismissedList(db)).map(([a, b]) => `${a}:${b}`));
    return pairs.filter(([a, b]) => !dismissed.has(pairKey(a, b)));
  };
  if (options.clientIds) return score(db, await visible(await pairsOf(db, options.clientIds)), false);
  const at = String((await db.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst())?.seq ?? 0);
  const known = cache.get(db);
  if (known?.at === at) return known.pairs;
  const pairs = await score(db, await visible(await candidatePairs(db)), false);
  cache.set(db, { at, pairs });
  return pairs;
}
