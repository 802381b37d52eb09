import { sql, type Kysely } from 'kysely';
import { similarNameThreshold } from '../../contract/normalize';
import type { DB } from '../../db/schema';

/** A client as the similar-name warning reports it. */
export interface NameEntry {
  id: string;
  code: string;
  company_name: string;
  email: string;
  name_key: string;
}

/**
 * The trigrams of a normalised name exactly as `nameSimilarity` counts them (each word padded with two
 * spaces before and one after, duplicates once), as keys: three UTF-16 code units below 1024 packed into one
 * small integer (the fast path: folded names are almost all ASCII), anything else as the trigram itself.
 */
function trigramKeys(text: string, out: (number | string)[]): number {
  out.length = 0;
  for (const word of text.split(' ')) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i < padded.length - 2; i++) {
      const a = padded.charCodeAt(i);
      const b = padded.charCodeAt(i + 1);
      const c = padded.charCodeAt(i + 2);
      const key = a < 1024 && b < 1024 && c < 1024 ? (a << 20) | (b << 10) | c : padded.slice(i, i + 3);
      if (!out.includes(key)) out.push(key);
    }
  }
  return out.length;
}

/** Most names looked at per search, rarest trigrams first: a bound on the work for names made of very common trigrams. */
const maxCandidates = 300;

/**
 * Names similar to a given one (trigram similarity ≥ the warning threshold), found in memory. An import
 * checks tens of thousands of rows; one trigram-index query per row (what the client modal does for one
 * name) cost more than a millisecond each. The search is exact for the similarity itself: a name at least
 * θ similar to a query of q trigrams shares at least ⌈θ·q⌉ of them, so it must contain one of the
 * q − ⌈θ·q⌉ + 1 rarest ones ("prefix filtering"); only those lists are read, lengths outside
 * [θ·q, q/θ] are dropped, and the rest is counted exactly. Like the modal's 300-candidate limit, a search
 * looks at `maxCandidates` names at most, reading the rarest trigrams' lists first (where the telling
 * matches are), in index order, so a dry run and a real run find the same.
 */
export class NameIndex {
  private readonly gramIds = new Map<number | string, number>();
  private readonly postings: number[][] = [];
  private readonly entries: NameEntry[] = [];
  // Each name's trigram ids, all in one array (`gramData[docStart[d] .. docStart[d + 1]]`): a search reads
  // hundreds of names, and one flat array keeps that to one memory fetch per name instead of three.
  private gramData = new Int32Array(4096);
  private docStart = new Int32Array(1024);
  private readonly alive: boolean[] = [];
  private readonly byId = new Map<string, number>();
  private readonly keys: (number | string)[] = [];
  private seen = new Int32Array(1024);
  private inQuery = new Int32Array(1024);
  private needed = new Int32Array(64);
  private query = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Adds a name, or replaces the entry of the same id (a client renamed by an earlier row). */
  add(entry: NameEntry): void {
    this.remove(entry.id);
    const doc = this.entries.length;
    const count = trigramKeys(entry.name_key, this.keys);
    if (this.docStart.length < doc + 2) {
      this.docStart = grow(this.docStart, doc + 2);
    }
    const start = this.docStart[doc]!;
    if (this.gramData.length < start + count) this.gramData = grow(this.gramData, start + count);
    for (let k = 0; k < count; k++) {
      const key = this.keys[k]!;
      let id = this.gramIds.get(key);
      if (id === undefined) {
        id = this.postings.length;
        this.gramIds.set(key, id);
        this.postings.push([]);
      }
      this.postings[id]!.push(doc);
      this.gramData[start + k] = id;
    }
    this.docStart[doc + 1] = start + count;
    this.alive[doc] = true;
    this.entries.push(entry);
    this.byId.set(entry.id, doc);
  }

  remove(id: string): void {
    const doc = this.byId.get(id);
    if (doc === undefined) return;
    this.alive[doc] = false;
    this.byId.delete(id);
  }

  /** Entries whose name is similar to `nameKey` but not the same (the same name is a blocking duplicate, not a warning). */
  search(nameKey: string, skip: (id: string) => boolean = () => false): NameEntry[] {
    const q = trigramKeys(nameKey, this.keys);
    if (!q || !this.entries.length) return [];
    const { postings } = this;
    // Trigrams this index has never seen are the rarest of all: no name here contains them.
    const known = this.keys.map((key) => this.gramIds.get(key) ?? -1);
    const rarity = (gram: number) => (gram < 0 ? 0 : postings[gram]!.length);
    const byRarity = [...known].sort((a, b) => rarity(a) - rarity(b));
    const minShared = Math.ceil(similarNameThreshold * q - 1e-9);
    const prefix = byRarity.slice(0, q - minShared + 1);
    if (this.seen.length < this.entries.length) this.seen = grow(this.seen, this.entries.length);
    if (this.inQuery.length < postings.length) this.inQuery = grow(this.inQuery, postings.length);
    const mark = ++this.query;
    const { seen, inQuery, alive, gramData, docStart } = this;
    for (const gram of known) if (gram >= 0) inQuery[gram] = mark;
    const found: NameEntry[] = [];
    const minLength = similarNameThreshold * q - 1e-9;
    const maxLength = q / similarNameThreshold + 1e-9;
    // For each length b a name may have, the fewest shared trigrams that reach the threshold, by the very
    // expression nameSimilarity computes (so both agree to the last bit). The similarity only grows with the
    // shared count, so counting can stop as soon as the answer is known: most candidates share a rare
    // trigram or two and are rejected halfway through their list (~15 % of an import's search time).
    const maxB = Math.floor(maxLength);
    if (this.needed.length <= maxB) this.needed = grow(this.needed, maxB + 1);
    const { needed } = this;
    for (let b = Math.max(0, Math.ceil(minLength)); b <= maxB; b++) {
      let need = 0;
      while (need <= b && need / (q + b - need) < similarNameThreshold) need++;
      needed[b] = need;
    }
    let looked = 0;
    for (const gram of prefix) {
      if (gram < 0) continue;
      const list = postings[gram]!;
      for (let k = 0; k < list.length; k++) {
        const doc = list[k]!;
        if (seen[doc] === mark) continue;
        seen[doc] = mark;
        if (++looked > maxCandidates) return found;
        if (!alive[doc]) continue;
        const from = docStart[doc]!;
        const to = docStart[doc + 1]!;
        const b = to - from;
        if (b < minLength || b > maxLength) continue;
        const need = needed[b]!;
        let shared = 0;
        for (let i = from; i < to && shared < need && shared + (to - i) >= need; i++) if (inQuery[gramData[i]!] === mark) shared++;
        if (shared < need) continue;
        const entry = this.entries[doc]!;
        if (entry.name_key !== nameKey && !skip(entry.id)) found.push(entry);
      }
    }
    return found;
  }
}

function grow<T extends Int32Array | Uint8Array>(array: T, atLeast: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(atLeast, array.length * 2));
  bigger.set(array);
  return bigger;
}

// The index of the clients in the database, kept between calls (the preview runs on every mapping change)
// and rebuilt when anything was written since: every write appends to the change log in its transaction.
const cache = new WeakMap<Kysely<DB>, { stamp: string; index: Promise<NameIndex> }>();

/**
 * Every client that is not archived, indexed by name (about 0.7 s for 100 000 clients, then reused while
 * nothing is written). `cacheKey` is the database the index belongs to when `db` is a transaction on it.
 */
export async function databaseNameIndex(db: Kysely<DB>, cacheKey: Kysely<DB> = db): Promise<NameIndex> {
  const { rows } = await sql<{ log: number | null; clients: number | null; archived: number }>`
    SELECT (SELECT max(seq) FROM change_log) AS log, (SELECT max(seq) FROM clients) AS clients,
      (SELECT count(*) FROM clients WHERE archived_at IS NOT NULL) AS archived`.execute(db);
  const stamp = JSON.stringify(rows[0] ?? null);
  const cached = cache.get(cacheKey);
  if (cached?.stamp === stamp) return cached.index;
  const index = (async () => {
    const built = new NameIndex();
    const clients = await db.selectFrom('clients').select(['id', 'code', 'company_name', 'email', 'name_key']).where('archived_at', 'is', null).orderBy('seq').execute();
    for (let i = 0; i < clients.length; i++) {
      built.add(clients[i]!);
      // Indexing is synchronous work (~0.4 s for 100 000 names): let the main process answer the window in between.
      if (i % 10_000 === 9_999) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return built;
  })();
  cache.set(cacheKey, { stamp, index });
  index.catch(() => cache.delete(cacheKey));
  return index;
}
