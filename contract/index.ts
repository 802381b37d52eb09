import type { z } from 'zod';
import { appChannels } from './app';
import { areaChannels } from './areas';
import { backupChannels } from './backups';
import { candidateChannels } from './candidates';
import { clientChannels } from './clients';
import { contactChannels } from './contacts';
import { dashboardChannels } from './dashboard';
import { duplicateChannels } from './duplicates';
import { eventChannels } from './events';
import { jobChannels } from './jobs';
import { leadChannels } from './leads';
import { pipelineChannels } from './pipeline';
import type { Result } from './errors';
import { settingsChannels } from './settings';
import { teamSyncChannels } from './teamSync';
import { transferChannels } from './transfer';
import { userChannels } from './users';
import { viewChannels } from './views';

/** Every channel between renderer and main: its name, its input schema and its output schema. */
export const channels = {
  ...appChannels,
  ...settingsChannels,
  ...areaChannels,
  ...userChannels,
  ...clientChannels,
  ...duplicateChannels,
  ...contactChannels,
  ...viewChannels,
  ...dashboardChannels,
  ...eventChannels,
  ...jobChannels,
  ...leadChannels,
  ...candidateChannels,
  ...pipelineChannels,
  ...transferChannels,
  ...teamSyncChannels,
  ...backupChannels,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
/** What a caller may pass (defaults still optional). */
export type Input<C extends ChannelName> = z.input<Channels[C]['input']>;
/** What a handler receives after parsing. */
export type ParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type Output<C extends ChannelName> = z.output<Channels[C]['output']>;

export const channelNames = Object.keys(channels) as ChannelName[];

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(channels, name);
}

type Domain<C extends string> = C extends `${infer D}.${string}` ? D : never;
type Method<C extends string, D extends string> = C extends `${D}.${infer M}` ? M : never;

/** `window.api`: `api.clients.list(input)` for channel `clients.list`. */
export type Api = {
  [D in Domain<ChannelName>]: {
    [C in ChannelName as Method<C, D>]: (input: Input<C>) => Promise<Result<Output<C>>>;
  };
};

export type Invoke = (channel: ChannelName, input: unknown) => Promise<Result<unknown>>;

/** Builds `window.api` from the channel list over any transport (Electron IPC, HTTP). */
export function createApi(invoke: Invoke): Api {
  const api: Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of channelNames) {
    const [domain, method] = name.split('.') as [string, string];
    api[domain] ??= {};
    api[domain][method] = (input: unknown) => invoke(name, input ?? {});
  }
  return api as unknown as Api;
}

export * from './errors';

/**
 * What the first paint of the clients page is drawn from (renderer/firstPaint.tsx, rendered by the browser
 * shell in main/firstPaint.ts): the answers the app asks for at start, to the same inputs.
 */
export interface FirstPaintData {
  info: Output<'app.info'>;
  settings: Output<'settings.get'>;
  areas: Output<'areas.list'>;
  users: Output<'users.list'>;
  list: Output<'clients.list'>;
}
