import { AppError } from '../../contract';
import { viewQuerySchema, type SavedView } from '../../contract/views';
import { deleteView, findView, findViewByName, insertView, listViews, updateView, type SavedViewRecord } from '../../db/repositories/views';
import type { HandlerContext } from './context';
import type { HandlerMap } from './types';

function toView(row: SavedViewRecord): SavedView {
  // A stored query that no longer parses (an old filter) falls back to defaults rather than failing the list.
  const query = viewQuerySchema.safeParse(JSON.parse(row.query));
  return { id: row.id, name: row.name, query: query.success ? query.data : viewQuerySchema.parse({}), createdAt: row.created_at, updatedAt: row.updated_at };
}

const nameKey = (name: string) => name.trim().toLocaleLowerCase();

async function assertNameFree(db: HandlerContext["db"], name: string, selfId: string | null) {
  const other = await findViewByName(db, nameKey(name));
  if (other && other.id !== selfId) {
    throw new AppError('VALIDATION', 'A saved view with this name already exists.', { fields: [{ path: 'name', message: 'duplicate_view' }] });
  }
}

export const viewHandlers: HandlerMap<'views.list' | 'views.create' | 'views.update' | 'views.delete'> = {
  'views.list': async (ctx) => (await listViews(ctx.db)).map(toView),

  'views.create': async (ctx, input) => {
    const id = ctx.newId();
    const at = ctx.now().toISOString();
    await ctx.db.transaction().execute(async (trx) => {
      await assertNameFree(trx, input.name, null);
      await insertView(trx, { id, name: input.name, name_key: nameKey(input.name), query: JSON.stringify(input.query), created_at: at, updated_at: at });
    });
    return toView((await findView(ctx.db, id))!);
  },

  'views.update': async (ctx, input) => {
    const at = ctx.now().toISOString();
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await findView(trx, input.id))) throw new AppError('NOT_FOUND', 'This saved view does not exist any more.', { reason: 'view_not_found' });
      await assertNameFree(trx, input.name, input.id);
      await updateView(trx, input.id, { name: input.name, name_key: nameKey(input.name), updated_at: at, ...(input.query ? { query: JSON.stringify(input.query) } : {}) });
    });
    return toView((await findView(ctx.db, input.id))!);
  },

  'views.delete': async (ctx, input) => {
    if (!(await ctx.db.transaction().execute((trx) => deleteView(trx, input.id)))) throw new AppError('NOT_FOUND', 'This saved view does not exist any more.', { reason: 'view_not_found' });
    return { id: input.id };
  },
};
