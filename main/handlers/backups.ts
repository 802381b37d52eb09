import type { HandlerMap } from './types';

export const backupHandlers: HandlerMap<'backups.list' | 'backups.create' | 'backups.restore'> = {
  'backups.list': async (ctx) => ctx.backups.status(),
  'backups.create': async (ctx) => {
    const backup = await ctx.backups.create('manual');
    return { backup, status: ctx.backups.status() };
  },
  'backups.restore': (ctx, input) => ctx.restoreBackup(input.id),
};
