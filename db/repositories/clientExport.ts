import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema';

export interface ExportExtras {
  primaryName: string | null;
  primaryEmail: string | null;
  primaryPhone: string | null;
  contacts: number;
  events: number;
}

/** Per client of one export page: its primary contact and how many contacts and events it has (two indexed queries a page). */
export async function exportExtras(db: Kysely<DB>, clientIds: string[]): Promise<Map<string, ExportExtras>> {
  const extras = new Map<string, ExportExtras>(clientIds.map((id) => [id, { primaryName: null, primaryEmail: null, primaryPhone: null, contacts: 0, events: 0 }]));
  if (!clientIds.length) return extras;
  const ids = JSON.stringify(clientIds);
  const contacts = await sql<{ client_id: string; n: number; name: string | null; email: string | null; phone: string | null }>`
    SELECT k.client_id, count(*) AS n,
      max(CASE WHEN k.is_primary = 1 THEN k.name END) AS name,
      max(CASE WHEN k.is_primary = 1 THEN k.email END) AS email,
      max(CASE WHEN k.is_primary = 1 THEN k.phone END) AS phone
    FROM client_contacts k
    WHERE k.client_id IN (SELECT value FROM json_each(${ids})) AND k.deleted_at IS NULL
    GROUP BY k.client_id`.execute(db);
  for (const row of contacts.rows) Object.assign(extras.get(row.client_id)!, { primaryName: row.name, primaryEmail: row.email, primaryPhone: row.phone, contacts: Number(row.n) });
  const events = await sql<{ client_id: string; n: number }>`
    SELECT e.client_id, count(*) AS n FROM events e
    WHERE e.client_id IN (SELECT value FROM json_each(${ids})) AND e.deleted_at IS NULL
    GROUP BY e.client_id`.execute(db);
  for (const row of events.rows) extras.get(row.client_id)!.events = Number(row.n);
  return extras;
}
