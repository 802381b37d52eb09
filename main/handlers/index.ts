import type { ChannelName } from '../../contract';
import { appHandlers } from './app';
import { areaHandlers } from './areas';
import { backupHandlers } from './backups';
import { candidateHandlers } from './candidates';
import { clientHandlers } from './clients';
import { contactHandlers } from './contacts';
import { dashboardHandlers } from './dashboard';
import { duplicateHandlers } from './duplicates';
import { eventHandlers } from './events';
import { jobHandlers } from './jobs';
import { leadHandlers } from './leads';
import { pipelineHandlers } from './pipeline';
import { settingsHandlers } from './settings';
import { syncHandlers } from './sync';
import { transferHandlers } from './transfer';
import type { HandlerMap } from './types';
import { userHandlers } from './users';
import { viewHandlers } from './views';

/** One handler per contract channel: adding a channel without its handler fails to compile here. */
export const handlers: HandlerMap<ChannelName> = {
  ...appHandlers,
  ...settingsHandlers,
  ...areaHandlers,
  ...userHandlers,
  ...clientHandlers,
  ...duplicateHandlers,
  ...contactHandlers,
  ...viewHandlers,
  ...dashboardHandlers,
  ...eventHandlers,
  ...jobHandlers,
  ...leadHandlers,
  ...candidateHandlers,
  ...pipelineHandlers,
  ...transferHandlers,
  ...syncHandlers,
  ...backupHandlers,
};
