import type { Kysely, Selectable } from 'kysely';
import type { DB, PipelineStagesTable } from '../schema';
import { createRecord, updateRecord, type Actor, type Values } from '../sync/write';

export type StageRecord = Selectable<PipelineStagesTable>;

/** Kinds in pipeline order: the stages on the way first (by their order), then placed, rejected, withdrawn. */
const kindOrder = { active: 0, placed: 1, rejected: 2, withdrawn: 3 } as const;

export function sortStages<T extends { kind: StageRecord['kind']; sort_order: number; name: string }>(stages: T[]): T[] {
  return [...stages].sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || a.sort_order - b.sort_order || a.name.localeCompare(b.name));
}

export async function listStages(db: Kysely<DB>, includeInactive = true): Promise<StageRecord[]> {
  let query = db.selectFrom('pipeline_stages').selectAll();
  if (!includeInactive) query = query.where('active', '=', 1);
  return sortStages(await query.execute());
}

export function findStage(db: Kysely<DB>, id: string) {
  return db.selectFrom('pipeline_stages').selectAll().where('id', '=', id).executeTakeFirst();
}

export type NewStage = Values<'pipeline_stage'> & { id: string; name: string; kind: StageRecord['kind']; created_at: string };

export function createStage(trx: Kysely<DB>, actor: Actor, values: NewStage, note: string | null = null) {
  return createRecord(trx, actor, 'pipeline_stage', { key: null, active: 1, sort_order: 0, ...values }, { note });
}

export function updateStage(trx: Kysely<DB>, actor: Actor, id: string, patch: Values<'pipeline_stage'>) {
  return updateRecord(trx, actor, 'pipeline_stage', id, patch);
}
