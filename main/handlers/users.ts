import { listUsers } from '../../db/repositories/users';
import type { HandlerMap } from './types';

export const userHandlers: HandlerMap<'users.list'> = {
  'users.list': async (ctx, input) => (await listUsers(ctx.db, input.includeInactive)).map((u) => ({ ...u, active: u.active === 1 })),
};
