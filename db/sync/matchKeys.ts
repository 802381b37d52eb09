import { sql, type Kysely } from 'kysely';
import { companyKey, companyMatchKeys, matchKeysVersion } from '../../contract/companies';
import { websiteDomain } from '../../contract/domains';
import type { DB } from '../schema';
import type { Row } from './entities';

// The duplicate engine's index (client_match_keys, a table of this laptop only): the lookup keys of every live
// client. Written with the client by the write path and by the replay of pulled changes (the client spec's
// after hook in entities.ts), so it always matches the clients table; archived clients have none.

const settingKey = 'duplicates.match_keys_version';

type KeyedClient = { id: string; company_name: string; email: string; website: string | null; archived_at: string | null };

const keysOf = (row: Row | null): string[] => (row && !row.archived_at ? companyMatchKeys(row as unknown as KeyedClient) : []);

/** Replaces a client's keys after it was written (before: the row as it was, null for a new one). */
export async function refreshMatchKeys(trx: Kysely<DB>, before: Row | null, after: Row): Promise<void> {
  const old = new Set(keysOf(before));
  const next = new Set(keysOf(after));
  const id = after.id as string;
  const gone = [...old].filter((k) => !next.has(k));
  const added = [...next].filter((k) => !old.has(k));
  if (gone.length) await trx.deleteFrom('client_match_keys').where('client_id', '=', id).where('key', 'in', gone).execute();
  if (added.length) await sql`INSERT OR IGNORE INTO client_match_keys (key, client_id) SELECT value, ${id} FROM json_each(${JSON.stringify(added)})`.execute(trx);
}

/**
 * The keys of many new clients in one statement (imports, restores), in the index's own order: one client's
 * ~20 keys land all over the index, so taken client by client every key dirtied another page; sorted, the
 * batch's keys fill the index from one end to the other, each page touched once.
 */
export async function insertMatchKeys(trx: Kysely<DB>, rows: Row[]): Promise<void> {
  const pairs = rows.flatMap((row) => keysOf(row).map((key) => [key, row.id as string]));
  pairs.sort(([a, x], [b, y]) => (a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : x! > y! ? 1 : 0));
  if (pairs.length) await sql`INSERT OR IGNORE INTO client_match_keys (key, client_id) SELECT value ->> 0, value ->> 1 FROM json_each(${JSON.stringify(pairs)})`.execute(trx);
}

/** The derived keys of a client row: its name's key and its website's registrable domain. */
export function clientKeys(row: Row): { name_key: string; domain_key: string | null } {
  return { name_key: companyKey(String(row.company_name)), domain_key: websiteDomain(row.website as string | null) };
}

/**
 * Builds every client's keys when they were made by another version of the rules (or never: a new database, a
 * database written by the demo-data generator or restored from an older backup). Also refreshes the clients'
 * derived name and domain keys, which the same rules compute. About a second per 20 000 clients, once.
 */
export async function ensureMatchKeys(db: Kysely<DB>, options: { force?: boolean } = {}): Promise<boolean> {
  const stamp = await db.selectFrom('settings').select('value').where('key', '=', settingKey).executeTakeFirst();
  if (!options.force && stamp?.value === String(matchKeysVersion)) return false;
  // A larger page cache while the index is rewritten (its pages are touched in key order, not client order).
  const { rows } = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(db);
  await sql`PRAGMA cache_size = -262144`.execute(db);
  try {
    await rebuild(db);
  } finally {
    await sql.raw(`PRAGMA cache_size = ${Number(rows[0]?.cache_size ?? -2000)}`).execute(db);
  }
  return true;
}

async function rebuild(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('client_match_keys').execute();
    let after = -1;
    for (;;) {
      const clients = await trx
        .selectFrom('clients')
        .select(['seq', 'id', 'company_name', 'email', 'website', 'archived_at', 'name_key', 'domain_key'])
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(2000)
        .execute();
      if (!clients.length) break;
      after = clients[clients.length - 1]!.seq;
      for (const client of clients) {
        const keys = clientKeys(client);
        if (keys.name_key !== client.name_key || keys.domain_key !== client.domain_key) {
          // Derived columns, never logged: recomputed here like the write path and the replay compute them.
          await trx.updateTable('clients').set(keys).where('id', '=', client.id).execute();
        }
      }
      await insertMatchKeys(trx, clients.filter((c) => !c.archived_at));
    }
    await sql`INSERT INTO settings (key, value) VALUES (${settingKey}, ${String(matchKeysVersion)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(trx);
  });
}
