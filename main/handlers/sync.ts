import { AppError, type FieldErrorCode } from '../../contract';
import type { SyncSettings } from '../../contract/teamSync';
import { createSyncClient, SyncFailure } from '../sync/client';
import { readSyncConfig, saveSyncConfig } from '../sync/config';
import type { HandlerContext } from './context';
import type { HandlerMap } from './types';

async function settingsOf(ctx: HandlerContext): Promise<SyncSettings> {
  const config = await readSyncConfig(ctx.db, ctx.secrets);
  return { url: config.url, enabled: config.enabled, tokenSet: config.token !== null, tokenStorage: ctx.secrets.storage, deviceId: ctx.deviceId, team: config.team, userEmail: config.userEmail };
}

/** The server's answer to "who is this token", or why there is none, as the field the user must fix. */
async function hello(ctx: HandlerContext, url: string, token: string) {
  try {
    return await createSyncClient({ url, token, timeoutMs: 15_000 }).hello(ctx.deviceId);
  } catch (error) {
    if (!(error instanceof SyncFailure)) throw error;
    const [path, message]: [string, FieldErrorCode] =
      error.code === 'unauthorized' ? ['token', 'token_refused'] : error.code === 'forbidden' ? ['token', 'device_mismatch'] : error.code === 'offline' ? ['url', 'unreachable'] : ['url', 'not_a_server'];
    throw new AppError('VALIDATION', `The sync server answered: ${error.message}`, { fields: [{ path, message }] });
  }
}

export const syncHandlers: HandlerMap<'sync.status' | 'sync.settings' | 'sync.configure' | 'sync.test' | 'sync.now' | 'sync.cancel'> = {
  'sync.status': (ctx) => ctx.sync.current(),
  'sync.settings': (ctx) => settingsOf(ctx),

  'sync.configure': async (ctx, input) => {
    const saved = await readSyncConfig(ctx.db, ctx.secrets);
    const token = input.token ?? saved.token;
    if (input.enabled && (!input.url || !token)) {
      const missing = [...(!input.url ? ['url'] : []), ...(!token ? ['token'] : [])];
      throw new AppError('VALIDATION', 'Sync needs the server address and a device token.', { fields: missing.map((path) => ({ path, message: 'required' as const })) });
    }
    // Turning sync on checks the token first (and binds it to this laptop): a wrong one is said here, not later.
    const who = input.enabled && input.url && token && (input.url !== saved.url || token !== saved.token || !saved.team) ? await hello(ctx, input.url, token) : null;
    await saveSyncConfig(ctx.db, ctx.secrets, { url: input.url, token: input.token, enabled: input.enabled, ...(who ? { team: who.team, userEmail: who.userEmail } : {}) });
    await ctx.sync.refresh();
    if (input.enabled) void ctx.sync.syncNow();
    return settingsOf(ctx);
  },

  'sync.test': async (ctx, input) => {
    const token = input.token ?? (await readSyncConfig(ctx.db, ctx.secrets)).token;
    if (!token) throw new AppError('VALIDATION', 'Enter the device token.', { fields: [{ path: 'token', message: 'required' }] });
    const who = await hello(ctx, input.url, token);
    return { team: who.team, userEmail: who.userEmail, clockOffsetMinutes: Math.round((ctx.now().getTime() - who.serverTime) / 60_000) };
  },

  'sync.now': (ctx) => ctx.sync.syncNow(),
  'sync.cancel': (ctx) => ctx.sync.cancel(),
};
