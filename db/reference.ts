import type { Kysely } from 'kysely';
import { builtInStageId, builtInStages } from '../contract/pipeline';
import { createArea } from './repositories/areas';
import { createStage } from './repositories/stages';
import { createUser } from './repositories/users';
import type { DB } from './schema';
import type { Actor } from './sync/write';

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

/** The same id on every device, so the built-in areas of a team's laptops are one set once they sync. */
export const builtInAreaId = (key: string) => `area-${key}`;

export interface ReferenceDataOptions {
  /** The device seeding (its first run): the areas and first member are its logged creates. */
  actor: Actor;
  /** Name of the first team member, created when the team is empty (usually the OS user's name). */
  firstUserName: string;
}

/** Seeds the areas, the pipeline stages and the first team member on first run; a no-op afterwards. */
export async function ensureReferenceData(db: Kysely<DB>, options: ReferenceDataOptions): Promise<void> {
  const { actor } = options;
  await db.transaction().execute(async (trx) => {
    const areaCount = await trx.selectFrom('areas').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(areaCount.n) === 0) {
      for (const [index, area] of builtInAreas.entries()) {
        await createArea(trx, actor, { id: builtInAreaId(area.key), key: area.key, name: area.name, sort_order: index, created_at: actor.at });
      }
    }
    // The pipeline's stages, like the areas: created once, with the same ids on every laptop of a team. A database
    // from before candidates gets them at its first start on this version.
    const stageCount = await trx.selectFrom('pipeline_stages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(stageCount.n) === 0) {
      for (const [index, stage] of builtInStages.entries()) {
        await createStage(trx, actor, { id: builtInStageId(stage.key), key: stage.key, name: stage.name, kind: stage.kind, sort_order: (index + 1) * 10, active: 1, created_at: actor.at });
      }
    }
    const userCount = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(userCount.n) === 0) {
      const id = actor.newId();
      await createUser(trx, actor, { id, name: options.firstUserName, email: null, created_at: actor.at });
      await trx.insertInto('settings').values({ key: 'currentUserId', value: JSON.stringify(id) }).onConflict((oc) => oc.doNothing()).execute();
    }
  });
}
