import { CompiledQuery, type Kysely } from 'kysely';
import type { DuplicateCheck } from '../../contract/clients';
import { companyMatchKeys, isSectorWord, minBrandLength, readCompanyName, sameWord, type CompanyName } from '../../contract/companies';
import { companyMailDomain, websiteDomain } from '../../contract/domains';
import type { DuplicateDecision, DuplicateMatch, DuplicateReason } from '../../contract/errors';
import type { DB } from '../../db/schema';
import { dismissedPairs } from '../../db/repositories/merges';
import { cachedRead } from '../../db/statementCache';

// The one company duplicate engine. Every path that creates or brings back a client asks it: the client modal
// (live while typing, and again inside the save transaction), lead conversion, imports (against the database
// and against the file's own earlier rows), restores of archived clients and of backups, and the sync job for
// clients pulled from colleagues. It says, for each candidate, which signals matched, a score, and the
// decision: `block` (the same company for certain: saving is refused) or `warn` (worth a look: the user may
// save anyway). The renderer only shows that decision.
//
// Signals (contract/companies.ts reads the names, contract/domains.ts the domains):
// - `email`: the same address. Block.
// - `name`: the same name however written (case, accents, punctuation, legal form, "&", connectors). Block.
// - `domain`: the same registrable domain of the website (or the other's company email). Warn.
// - `email_domain`: the same registrable domain of a company email (public mail providers are no evidence). Warn.
// - `similar_name`: the same words with typos (swapped, missing, extra or wrong letters; more in longer words). Warn.
// - `brand`: one name is the other with more words ("Zara" and "Zara España Retail"), or both are one brand with
//   only groupings or places around it ("Grupo Zara", "Zara España"); names that share only generic words
//   never count, nor one brand in two sectors ("Acme Consulting", "Acme Logistics": sister companies). Warn.
// - `acronym`: one name is the other's initials ("BBVA"); only counted next to a shared domain. Warn.
//
// Candidates come from an index of lookup keys (db/sync/matchKeys.ts), never from reading every client.

export interface Company {
  id: string;
  code: string;
  company_name: string;
  email: string;
  website: string | null;
}

/** What the engine reads of a company, once per company. */
export interface Profile {
  name: CompanyName;
  email: string;
  site: string | null;
  mail: string | null;
}

export function profileOf(company: { company_name: string; email: string | null; website: string | null | undefined }): Profile {
  const email = (company.email ?? '').trim().toLowerCase();
  return { name: readCompanyName(company.company_name), email, site: websiteDomain(company.website), mail: companyMailDomain(email) };
}

export interface Verdict {
  decision: DuplicateDecision;
  score: number;
  reasons: DuplicateReason[];
}

/** How much each signal says on its own (0–100); further signals add a little. */
const weights: Record<DuplicateReason, number> = { email: 100, name: 100, domain: 60, similar_name: 55, email_domain: 50, brand: 45, acronym: 30 };
const blockingReasons: ReadonlySet<DuplicateReason> = new Set(['email', 'name']);
/** The field of the client each signal comes from (an edit is only checked on the fields it changes). */
const reasonField: Record<DuplicateReason, CheckedField> = {
  email: 'email', email_domain: 'email', name: 'name', similar_name: 'name', brand: 'name', acronym: 'name', domain: 'website',
};
export type CheckedField = 'name' | 'email' | 'website';

/** A word of a name that may stand for its brand: distinctive, and long enough. */
function isBrandWord(name: CompanyName, word: string): boolean {
  return word.length >= minBrandLength && name.distinctive.includes(word);
}

/** Scratch of alignWords, reused from call to call (it runs for every candidate): big's words already paired, small's words left for the typo pass. */
let paired = new Uint8Array(16);
let pendingAt = new Int32Array(16);

/**
 * Pairs each word of `small` (words of `owner`) with a different word of `big` that is the same word, typos
 * allowed; null when one has none. Exact pairs first; a brand word of `owner` shared exactly anchors the others,
 * which may then carry a typo even when short. Says whether every pair was exact, and whether a brand word of
 * `owner` was paired. Plain loops over scratch arrays: nothing is allocated but the answer.
 */
function alignWords(small: string[], big: string[], owner: CompanyName): { exact: boolean; brand: boolean } | null {
  if (paired.length < big.length) paired = new Uint8Array(2 * big.length);
  if (pendingAt.length < small.length) pendingAt = new Int32Array(2 * small.length);
  paired.fill(0, 0, big.length);
  let pending = 0;
  let brand = false;
  for (let k = 0; k < small.length; k++) {
    const word = small[k]!;
    // The first copy of the word in big not paired yet (a name may repeat a word).
    let at = big.indexOf(word);
    while (at >= 0 && paired[at]) at = big.indexOf(word, at + 1);
    if (at < 0) pendingAt[pending++] = k;
    else {
      paired[at] = 1;
      brand ||= isBrandWord(owner, word);
    }
  }
  const anchored = brand;
  for (let p = 0; p < pending; p++) {
    const word = small[pendingAt[p]!]!;
    let at = 0;
    while (at < big.length && (paired[at] || !sameWord(word, big[at]!, anchored))) at++;
    if (at === big.length) return null;
    paired[at] = 1;
    brand ||= isBrandWord(owner, word);
  }
  return { exact: pending === 0, brand };
}

/** Whether `name` has a sector word that `other` lacks ("Acme Consulting", "Acme Logistics": sister companies, not one). */
function unsharedSector(name: CompanyName, other: CompanyName): boolean {
  for (const word of name.words) if (!name.distinctive.includes(word) && isSectorWord(word) && !other.words.includes(word)) return true;
  return false;
}

/** How two different names relate: the same words with typos, one brand with more words, or nothing. */
function nameRelation(a: CompanyName, b: CompanyName): 'similar_name' | 'brand' | null {
  if (!a.words.length || !b.words.length) return null;
  const [small, big] = a.words.length <= b.words.length ? [a, b] : [b, a];
  const aligned = alignWords(small.words, big.words, small);
  if (aligned?.brand) {
    if (small.words.length === big.words.length) return aligned.exact ? null : 'similar_name';
    return 'brand';
  }
  // One word written as two ("Price Waterhouse", "Pricewaterhouse"), with a typo at most.
  if (a.words.length !== b.words.length && a.distinctive.length && b.distinctive.length && Math.min(a.key.length, b.key.length) >= 5 && sameWord(a.key, b.key)) return 'similar_name';
  // One brand with different groupings or places around it ("Grupo Zara", "Zara España"), never with different sectors.
  if (a.distinctive.length && a.distinctive.length === b.distinctive.length) {
    const brand = alignWords(a.distinctive, b.distinctive, a);
    if (brand?.brand && !unsharedSector(a, b) && !unsharedSector(b, a)) return 'brand';
  }
  return null;
}

/** One name is the initials of the other ("BBVA" and "Banco Bilbao Vizcaya Argentaria"). */
function isAcronym(a: CompanyName, b: CompanyName): boolean {
  const initials = (short: CompanyName, long: CompanyName) => short.words.length === 1 && long.acronym !== null && short.key === long.acronym;
  return initials(a, b) || initials(b, a);
}

/**
 * The engine's verdict on two companies, or null when nothing ties them. `fields`, for an edit, limits the
 * signals to the fields it changes: what the client had was checked when it was saved (or saved past on purpose).
 */
export function compareCompanies(a: Profile, b: Profile, fields?: ReadonlySet<CheckedField>): Verdict | null {
  const reasons: DuplicateReason[] = [];
  if (a.email && a.email === b.email) reasons.push('email');
  if (a.name.key && a.name.key === b.name.key) reasons.push('name');
  if (a.site && (a.site === b.site || a.site === b.mail)) reasons.push('domain');
  if (a.mail && (a.mail === b.mail || a.mail === b.site)) reasons.push('email_domain');
  if (!reasons.includes('name')) {
    const relation = nameRelation(a.name, b.name);
    if (relation) reasons.push(relation);
  }
  if ((reasons.includes('domain') || reasons.includes('email_domain')) && isAcronym(a.name, b.name)) reasons.push('acronym');
  const counted = fields ? reasons.filter((r) => fields.has(reasonField[r])) : reasons;
  if (!counted.length) return null;
  const top = Math.max(...counted.map((r) => weights[r]));
  const score = Math.min(100, top + 5 * (counted.length - 1));
  return { decision: counted.some((r) => blockingReasons.has(r)) ? 'block' : 'warn', score, reasons: counted };
}

/**
 * The lookup keys through which a company can find the clients it blocks on: `blocks` needs the same email or
 * the same name key, and those are its `e:` and `n:` keys, so every client it blocks on is listed under one of them.
 */
export const blockingKeys = (keys: string[]) => keys.filter((k) => k.startsWith('e:') || k.startsWith('n:'));

/** Whether compareCompanies blocks these two, reading only the blocking signals (an import's first pass over many candidates). */
export function blocks(a: Profile, b: Profile): boolean {
  return (a.email !== '' && a.email === b.email) || (a.name.key !== '' && a.name.key === b.name.key);
}

export function toMatch(company: Company, verdict: Verdict): DuplicateMatch {
  return { id: company.id, code: company.code, companyName: company.company_name, email: company.email, reasons: verdict.reasons, decision: verdict.decision, score: verdict.score };
}

/** Best first: blocks, then by score, then by code (a stable order for the same data). */
export function byStrength(a: DuplicateMatch, b: DuplicateMatch): number {
  if (a.decision !== b.decision) return a.decision === 'block' ? -1 : 1;
  return b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/**
 * Most clients read per lookup key, so a check stays bounded however common a word is: a key that names the
 * company (email, name, domain, the name but one word) reads up to 100; a single word or its typo variants,
 * which thousands may share and which only ever warn, up to 20.
 */
const perKeyLimit = { specific: 100, loose: 20 } as const;
const isLoose = (key: string) => key.startsWith('w:') || key.startsWith('v:');

// One statement whatever the number of keys (the keys travel as two JSON arrays), prepared once per connection.
// Each key reads at most its limit of index entries (a LIMIT inside the correlated subquery): a window function
// over the join read every client of a common word first (~40 ms for a word 20 000 clients share).
const lookup = (limit: number) => `SELECT c.id, c.code, c.company_name, c.email, c.website
  FROM json_each(?) j JOIN clients c ON c.id IN (SELECT m.client_id FROM client_match_keys m WHERE m.key = j.value LIMIT ${limit})
  WHERE c.archived_at IS NULL AND c.id != ?`;
export const candidateSql = `${lookup(perKeyLimit.specific)} UNION ${lookup(perKeyLimit.loose)}`;

/** The parameters of candidateSql for these keys. */
export const candidateParams = (keys: string[], excludeId: string | null) => [
  JSON.stringify(keys.filter((k) => !isLoose(k))),
  excludeId ?? '',
  JSON.stringify(keys.filter(isLoose)),
  excludeId ?? '',
];

/**
 * The same lookup for the keys of many companies at once (an import's batch), in one statement per kind of key
 * and one for the clients they name: for each key, the live clients candidateSql reads through it (as many, the
 * same ones). A company's candidates are then the clients listed under any of its keys; candidateSql returns
 * them by id (its UNION sorts them). Only the keys some client has come back (most keys of a new company, its
 * typo variants above all, name nobody: a row each would cost more than the lookup).
 */
const idsByKey = (limit: number) => `SELECT j.value AS key, (SELECT json_group_array(client_id) FROM (SELECT m.client_id FROM client_match_keys m WHERE m.key = j.value LIMIT ${limit})) AS ids
  FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM client_match_keys e WHERE e.key = j.value)`;
const liveClients = `SELECT id, code, company_name, email, website FROM clients WHERE id IN (SELECT value FROM json_each(?)) AND archived_at IS NULL`;

export async function findCandidatesByKey(db: Kysely<DB>, keys: string[]): Promise<Map<string, Company[]>> {
  const idLists = new Map<string, string[]>();
  for (const [limit, list] of [[perKeyLimit.specific, keys.filter((k) => !isLoose(k))], [perKeyLimit.loose, keys.filter(isLoose)]] as const) {
    if (!list.length) continue;
    const rows = await cachedRead(db, CompiledQuery.raw(idsByKey(limit), [JSON.stringify(list)]) as CompiledQuery<{ key: string; ids: string }>);
    for (const { key, ids } of rows) idLists.set(key, JSON.parse(ids) as string[]);
  }
  const named = new Set<string>();
  for (const ids of idLists.values()) for (const id of ids) named.add(id);
  const live = named.size ? await cachedRead(db, CompiledQuery.raw(liveClients, [JSON.stringify([...named])]) as CompiledQuery<Company>) : [];
  const byId = new Map(live.map((c) => [c.id, c]));
  const byKey = new Map<string, Company[]>();
  for (const key of keys) {
    const list: Company[] = [];
    for (const id of idLists.get(key) ?? []) {
      const company = byId.get(id);
      if (company) list.push(company);
    }
    byKey.set(key, list);
  }
  return byKey;
}

/** Live clients that share a lookup key with a company: the only ones the engine compares it with. */
export function findCandidates(db: Kysely<DB>, keys: string[], excludeId: string | null): Promise<Company[]> {
  if (!keys.length) return Promise.resolve([]);
  return cachedRead(db, CompiledQuery.raw(candidateSql, candidateParams(keys, excludeId)) as CompiledQuery<Company>);
}

export interface CompanyQuery {
  companyName: string;
  email: string;
  website?: string | null | undefined;
  /** The client being edited: never its own duplicate. */
  excludeId?: string | null | undefined;
}

/** Which fields an edit changes, as the engine reads them (a change of case or legal form is no change). */
export function changedFields(stored: { company_name: string; email: string; website: string | null }, query: CompanyQuery): Set<CheckedField> {
  const before = profileOf(stored);
  const after = profileOf({ company_name: query.companyName, email: query.email, website: query.website ?? null });
  const fields = new Set<CheckedField>();
  if (before.name.key !== after.name.key) fields.add('name');
  if (before.email !== after.email) fields.add('email');
  if (before.site !== after.site) fields.add('website');
  return fields;
}

/** Splits verdicts into what blocks and what warns, best first (at most 10 warnings: the ones worth reading). */
export function splitMatches(matches: DuplicateMatch[]): DuplicateCheck {
  const sorted = [...matches].sort(byStrength);
  return { blocking: sorted.filter((m) => m.decision === 'block'), warnings: sorted.filter((m) => m.decision === 'warn').slice(0, 10) };
}

/**
 * The duplicates of a company among the live clients of the database. Runs live while the user types and again
 * inside the save transaction (`db` is then the transaction). For an edit, `stored` is the client as saved.
 */
export async function findCompanyDuplicates(
  db: Kysely<DB>,
  query: CompanyQuery,
  stored?: { company_name: string; email: string; website: string | null },
): Promise<DuplicateCheck> {
  const company = { company_name: query.companyName, email: query.email, website: query.website ?? null };
  if (!company.company_name.trim() && !company.email.trim()) return { blocking: [], warnings: [] };
  const fields = stored && query.excludeId ? changedFields(stored, query) : undefined;
  if (fields && !fields.size) return { blocking: [], warnings: [] };
  const profile = profileOf(company);
  const matches: DuplicateMatch[] = [];
  for (const candidate of await findCandidates(db, companyMatchKeys(company), query.excludeId ?? null)) {
    const verdict = compareCompanies(profile, profileOf(candidate), fields);
    if (verdict) matches.push(toMatch(candidate, verdict));
  }
  // A pair a person marked "Not a duplicate" (the review page) never warns or blocks again.
  const selfId = query.excludeId;
  if (selfId && matches.length) {
    const dismissed = await dismissedPairs(db, matches.map((m) => [selfId, m.id]));
    return splitMatches(matches.filter((m) => !dismissed.has(selfId < m.id ? `${selfId}:${m.id}` : `${m.id}:${selfId}`)));
  }
  return splitMatches(matches);
}

/**
 * The same lookup over companies held in memory: an import's own rows, which may not be written yet (a dry run
 * writes nothing) and are checked against each other exactly as against the database.
 */
export class CompanyIndex<T extends Company = Company> {
  /**
   * Each key's entries, in the order they were added (an entry is removed only when its company is replaced).
   * Most keys name one company (a typo variant of its brand, its email): such a key holds its entry alone, not a
   * list of one; an import of 100 000 rows keeps about two million keys here.
   */
  private readonly byKey = new Map<string, IndexEntry<T> | IndexEntry<T>[]>();
  private readonly entries = new Map<string, IndexEntry<T>>();
  /** Counts the lookups: an entry stamped with the current one is already in its answer (no set per lookup). */
  private lookups = 0;

  get size(): number {
    return this.entries.size;
  }

  get(id: string): T | undefined {
    return this.entries.get(id)?.company;
  }

  /** Adds a company, or replaces the one of the same id (a client an earlier row updated). `keys`: its companyMatchKeys, when known. */
  add(company: T, keys = companyMatchKeys(company)): void {
    this.remove(company.id);
    const entry: IndexEntry<T> = { company, keys, stamp: 0 };
    this.entries.set(company.id, entry);
    for (const key of keys) {
      const held = this.byKey.get(key);
      if (!held) this.byKey.set(key, entry);
      else if (Array.isArray(held)) held.push(entry);
      else this.byKey.set(key, [held, entry]);
    }
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    for (const key of entry.keys) {
      const held = this.byKey.get(key);
      if (held === entry) this.byKey.delete(key);
      else if (Array.isArray(held)) {
        const at = held.indexOf(entry);
        if (at >= 0) held.splice(at, 1);
      }
    }
  }

  /** Companies sharing a lookup key with this one, in the order they were added. */
  candidates(company: { company_name: string; email: string | null; website: string | null }, keys = companyMatchKeys(company)): T[] {
    const stamp = ++this.lookups;
    const found: T[] = [];
    const take = (entry: IndexEntry<T>) => {
      if (entry.stamp === stamp) return;
      entry.stamp = stamp;
      found.push(entry.company);
    };
    for (const key of keys) {
      const held = this.byKey.get(key);
      if (!held) continue;
      if (!Array.isArray(held)) {
        take(held);
        continue;
      }
      const limit = isLoose(key) ? perKeyLimit.loose : perKeyLimit.specific;
      for (let n = 0; n < held.length && n < limit; n++) take(held[n]!);
    }
    return found;
  }
}

interface IndexEntry<T> {
  company: T;
  keys: string[];
  /** The last lookup that listed it (see CompanyIndex.candidates). */
  stamp: number;
}

/**
 * Of these clients (a colleague's new ones, just pulled), those that look like another live client here: the
 * sync job lists them as possible duplicates to review. Two laptops that each created the same company offline
 * end up with both records; the rules a save would have applied are applied now.
 */
export async function clientsWithDuplicates(db: Kysely<DB>, ids: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const id of ids) {
    const client = await db.selectFrom('clients').select(['id', 'company_name', 'email', 'website', 'archived_at']).where('id', '=', id).executeTakeFirst();
    if (!client || client.archived_at) continue;
    const check = await findCompanyDuplicates(db, { companyName: client.company_name, email: client.email, website: client.website, excludeId: id });
    if (check.blocking.length || check.warnings.length) found.push(id);
  }
  return found;
}
