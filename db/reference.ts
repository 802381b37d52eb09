import type { Kysely } from 'kysely';
import type { DB } from './schema';

/** Built-in business areas; `key` lets the UI translate them, `name` is what exports and search use. */
export const builtInAreas = [
  { key: 'technology', name: 'Technology' },
  { key: 'finance', name: 'Finance' },
  { key: 'healthcare', name: 'Healthcare' },
  { key: 'retail', name: 'Retail' },
  { key: 'manufacturing', name: 'Manufacturing' },
  { key: 'logistics', name: 'Logistics' },
  { key: 'energy', name: 'Energy' },
  { key: 'education', name: 'Education' },
  { key: 'hospitality', name: 'Hospitality' },
  { key: 'public_sector', name: 'Public Sector' },
  { key: 'other', name: 'Other' },
] as const;

export interface ReferenceDataOptions {
  now: Date;
  newId: () => string;
  /** Name of the first team member, created when the team is empty (usually the OS user's name). */
  firstUserName: string;
}

/** Seeds the areas and the first team member on first run; a no-op afterwards. */
export async function ensureReferenceData(db: Kysely<DB>, options: ReferenceDataOptions): Promise<void> {
  const at = options.now.toISOString();
  await db.transaction().execute(async (trx) => {
    const areaCount = await trx.selectFrom('areas').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(areaCount.n) === 0) {
      await trx
        .insertInto('areas')
        .values(builtInAreas.map((area, index) => ({ id: options.newId(), key: area.key, name: area.name, active: 1, sort_order: index, created_at: at })))
        .execute();
    }
    const userCount = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(userCount.n) === 0) {
      const id = options.newId();
      await trx.insertInto('users').values({ id, name: options.firstUserName, email: null, active: 1, created_at: at, updated_at: at }).execute();
      await trx.insertInto('settings').values({ key: 'currentUserId', value: JSON.stringify(id) }).onConflict((oc) => oc.doNothing()).execute();
    }
  });
}
