import { AppError } from '../../contract';
import { appendChange, diffFields } from '../../db/repositories/changeLog';
import { findUser, listUsers } from '../../db/repositories/users';
import { currentUserId } from './currentUser';
import type { HandlerMap } from './types';

const toUser = (u: { id: string; name: string; email: string | null; active: number }) => ({ ...u, active: u.active === 1 });

export const userHandlers: HandlerMap<'users.list' | 'users.create' | 'users.update'> = {
  'users.list': async (ctx, input) => (await listUsers(ctx.db, input.includeInactive)).map(toUser),

  'users.create': async (ctx, input) => {
    const id = ctx.newId();
    const at = ctx.now().toISOString();
    const actor = await currentUserId(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const row = { id, name: input.name, email: input.email, active: 1, created_at: at, updated_at: at };
      await trx.insertInto('users').values(row).execute();
      await appendChange(trx, { id: ctx.newId(), entity: 'user', entityId: id, clientId: null, operation: 'create', changes: diffFields(null, row, ['name', 'email', 'active']), userId: actor, deviceId: ctx.deviceId, changedAt: at });
    });
    return toUser((await findUser(ctx.db, id))!);
  },

  'users.update': async (ctx, input) => {
    const at = ctx.now().toISOString();
    const actor = await currentUserId(ctx);
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await findUser(trx, input.id);
      if (!existing) throw new AppError('NOT_FOUND', 'This team member does not exist.');
      // The member acting on this device cannot switch themselves off: someone must own the changes.
      if (!input.active && input.id === actor) {
        throw new AppError('VALIDATION', 'Choose another current user in Settings before deactivating this one.', { fields: [{ path: 'active', message: 'current_user' }] });
      }
      const after = { ...existing, name: input.name, email: input.email, active: input.active ? 1 : 0 };
      const changes = diffFields(existing, after, ['name', 'email', 'active']);
      if (!Object.keys(changes).length) return;
      await trx.updateTable('users').set({ name: input.name, email: input.email, active: input.active ? 1 : 0, updated_at: at }).where('id', '=', input.id).execute();
      await appendChange(trx, { id: ctx.newId(), entity: 'user', entityId: input.id, clientId: null, operation: 'update', changes, userId: actor, deviceId: ctx.deviceId, changedAt: at });
    });
    return toUser((await findUser(ctx.db, input.id))!);
  },
};
