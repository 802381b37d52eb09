import type { HandlerMap } from './types';

export const appHandlers: HandlerMap<'app.info'> = {
  'app.info': async (ctx) => ({
    name: 'Clients',
    version: ctx.appVersion,
    dataDir: ctx.dataDir,
    databaseFile: ctx.databaseFile,
    platform: process.platform,
    shell: ctx.shell,
    schemaVersion: ctx.schemaVersion,
  }),
};
