import { defaultSettings, settingsSchema, type Settings } from '../../contract/settings';
import { readSettings, writeSetting } from '../../db/repositories/settings';
import type { HandlerContext } from './context';
import type { HandlerMap } from './types';
import { AppError } from '../../contract';
import { findUser } from '../../db/repositories/users';

/** Stored settings over the defaults; a stored value that no longer validates falls back to its default. */
export async function loadSettings(ctx: HandlerContext): Promise<Settings> {
  const stored = await readSettings(ctx.db);
  const merged: Record<string, unknown> = { ...defaultSettings };
  for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
    if (!(key in stored)) continue;
    const field = settingsSchema.shape[key].safeParse(stored[key]);
    if (field.success) merged[key] = field.data;
  }
  return settingsSchema.parse(merged);
}

export const settingsHandlers: HandlerMap<'settings.get' | 'settings.set'> = {
  'settings.get': (ctx) => loadSettings(ctx),
  'settings.set': async (ctx, input) => {
    if (input.currentUserId) {
      const user = await findUser(ctx.db, input.currentUserId);
      if (!user || !user.active) {
        throw new AppError('VALIDATION', 'The selected team member does not exist or is inactive.', {
          fields: [{ path: 'currentUserId', message: 'unknown_user' }],
        });
      }
    }
    await ctx.db.transaction().execute(async (trx) => {
      for (const [key, value] of Object.entries(input)) {
        if (value !== undefined) await writeSetting(trx, key, value);
      }
    });
    return loadSettings(ctx);
  },
};
