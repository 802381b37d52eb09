import { sql, type Kysely } from 'kysely';
import { foldForSearch } from '../../contract/normalize';
import { companyKey, emailKey, normalizePersonName, phoneKey } from '../../contract/people';
import type { DB } from '../schema';
import type { Row } from './entities';

// The columns of a candidate derived from its own synced fields, written with every write of the row and never
// logged (db/sync/entities.ts `derive`): a device applying a pulled change computes the same values.

/** A candidate's tags from the stored JSON (an unreadable value reads as none). */
export function tagsOf(json: unknown): string[] {
  if (typeof json !== 'string') return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** A tag as the search text holds it, so a tag filter matches the whole tag and nothing longer ("#java#" is not "#javascript#"). */
export const tagToken = (tag: string) => `#${foldForSearch(tag.trim())}#`;

/**
 * The folded text the candidates list searches: name, email, phone (as stored and as bare digits, so "612345"
 * finds "+34 612 34 56 78"), code, title, employer, location, and the tags as `#tag#`.
 */
export function candidateSearchText(row: Row): string {
  const phone = typeof row.phone === 'string' ? row.phone : '';
  const parts = [row.full_name, row.email, phone, phone.replace(/\D/g, ''), row.code, row.current_title, row.current_company, row.location];
  const text = parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
  return [foldForSearch(text), ...tagsOf(row.tags).map(tagToken)].join(' ');
}

export function deriveCandidate(row: Row): Row {
  const name = String(row.full_name ?? '');
  return {
    name_key: normalizePersonName(name),
    email_key: emailKey(row.email as string | null),
    phone_key: phoneKey(row.phone as string | null),
    company_key: companyKey(row.current_company as string | null),
    search_text: candidateSearchText(row),
  };
}

// ── Tag and source counts (candidate_tag_sources, a table of this laptop only) ─────────────────────────────

/** The (tag, source) pairs a row counts for: one per distinct folded tag of a live candidate. */
function tagSourcesOf(row: Row | null): string[] {
  if (!row || row.deleted_at) return [];
  const source = typeof row.source === 'string' ? row.source : '';
  return [...new Set(tagsOf(row.tags).map(tagToken))].map((tag) => JSON.stringify([tag, source]));
}

async function addCounts(trx: Kysely<DB>, pairs: string[], delta: 1 | -1): Promise<void> {
  if (!pairs.length) return;
  const json = JSON.stringify(pairs.map((p) => JSON.parse(p) as [string, string]));
  if (delta > 0) {
    // `WHERE true`: SQLite's parser needs it between an INSERT's SELECT and its upsert clause.
    await sql`INSERT INTO candidate_tag_sources (tag, source, candidates) SELECT value ->> 0, value ->> 1, 1 FROM json_each(${json}) WHERE true
      ON CONFLICT (tag, source) DO UPDATE SET candidates = candidates + 1`.execute(trx);
    return;
  }
  const pairsOf = sql`SELECT value ->> 0, value ->> 1 FROM json_each(${json})`;
  // The last candidate of a pair removes its row (first, so the decrement below never reaches 1 → 0 twice).
  await sql`DELETE FROM candidate_tag_sources WHERE candidates = 1 AND (tag, source) IN (${pairsOf})`.execute(trx);
  await sql`UPDATE candidate_tag_sources SET candidates = candidates - 1 WHERE (tag, source) IN (${pairsOf})`.execute(trx);
}

/** The candidate spec's after hook: moves the row's counts from what it was to what it is now. */
export async function refreshTagSources(trx: Kysely<DB>, before: Row | null, after: Row): Promise<void> {
  const old = new Set(tagSourcesOf(before));
  const next = new Set(tagSourcesOf(after));
  await addCounts(trx, [...old].filter((p) => !next.has(p)), -1);
  await addCounts(trx, [...next].filter((p) => !old.has(p)), 1);
}

export const tagSourcesSettingKey = 'candidates.tag_sources_version';
/** Bump when tags are folded differently: the next open counts again. */
export const tagSourcesVersion = 1;

/**
 * Counts every live candidate's tags and source when the counts were made by another version (or never: an
 * upgraded database, one whose candidates were written as raw rows). `force` counts again regardless.
 */
export async function ensureCandidateTagSources(db: Kysely<DB>, options: { force?: boolean } = {}): Promise<boolean> {
  const stamp = await db.selectFrom('settings').select('value').where('key', '=', tagSourcesSettingKey).executeTakeFirst();
  if (!options.force && stamp?.value === String(tagSourcesVersion)) return false;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('candidate_tag_sources').execute();
    const counts = new Map<string, number>();
    for (let after = -1; ; ) {
      const rows = await trx.selectFrom('candidates').select(['seq', 'tags', 'source', 'deleted_at']).where('seq', '>', after).orderBy('seq').limit(5000).execute();
      if (!rows.length) break;
      after = rows.at(-1)!.seq;
      for (const row of rows) for (const pair of tagSourcesOf(row)) counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
    const rows = [...counts].map(([pair, n]) => [...(JSON.parse(pair) as [string, string]), n]);
    if (rows.length) await sql`INSERT INTO candidate_tag_sources (tag, source, candidates) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(${JSON.stringify(rows)})`.execute(trx);
    await sql`INSERT INTO settings (key, value) VALUES (${tagSourcesSettingKey}, ${String(tagSourcesVersion)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(trx);
  });
  return true;
}
