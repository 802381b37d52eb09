import { AppError } from '../../contract';
import { createUser, findUser, listUsers, updateUser } from '../../db/repositories/users';
import { actorOf } from './actor';
import type { HandlerMap } from './types';

const toUser = (u: { id: string; name: string; email: string | null; active: number }) => ({ ...u, active: u.active === 1 });

export const userHandlers: HandlerMap<'users.list' | 'users.create' | 'users.update'> = {
  'users.list': async (ctx, input) => (await listUsers(ctx.db, input.includeInactive)).map(toUser),

  'users.create': async (ctx, input) => {
    const id = ctx.newId();
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute((trx) => createUser(trx, actor, { id, name: input.name, email: input.email, created_at: actor.at }));
    return toUser((await findUser(ctx.db, id))!);
  },

  'users.update': async (ctx, input) => {
    const actor = await actorOf(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await findUser(trx, input.id);
      if (!existing) throw new AppError('NOT_FOUND', 'This team member does not exist.', { reason: 'user_not_found' });
      // The member acting on this device cannot switch themselves off: someone must own the changes.
      if (!input.active && input.id === actor.userId) {
        throw new AppError('VALIDATION', 'Choose another current user in Settings before deactivating this one.', { fields: [{ path: 'active', message: 'current_user' }] });
      }
      await updateUser(trx, actor, input.id, { name: input.name, email: input.email, active: input.active ? 1 : 0 });
    });
    return toUser((await findUser(ctx.db, input.id))!);
  },
};
