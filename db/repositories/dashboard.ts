import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema';

export async function clientsByArea(db: Kysely<DB>) {
  return db
    .selectFrom('clients as c')
    .innerJoin('areas as a', 'a.id', 'c.area_id')
    .select(['a.key as area_key', 'a.name as area_name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('c.archived_at', 'is', null)
    .groupBy('a.id')
    .orderBy('n', 'desc')
    .execute();
}

export async function newClientsPerMonth(db: Kysely<DB>, since: string) {
  const result = await sql<{ month: string; n: number }>`
    SELECT substr(created_at, 1, 7) AS month, count(*) AS n FROM clients
    WHERE created_at >= ${since} AND archived_at IS NULL GROUP BY month ORDER BY month`.execute(db);
  return result.rows;
}

export async function eventsPerMonthByType(db: Kysely<DB>, since: string) {
  const result = await sql<{ month: string; type: string; n: number }>`
    SELECT substr(occurred_at, 1, 7) AS month, type, count(*) AS n FROM events
    WHERE occurred_at >= ${since} AND deleted_at IS NULL AND client_id IS NOT NULL GROUP BY month, type ORDER BY month`.execute(db);
  return result.rows;
}

export async function jobsByStatus(db: Kysely<DB>) {
  return db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('deleted_at', 'is', null)
    .groupBy('status')
    .execute();
}
