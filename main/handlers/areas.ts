import { listAreas } from '../../db/repositories/areas';
import type { HandlerMap } from './types';

export const areaHandlers: HandlerMap<'areas.list'> = {
  'areas.list': async (ctx) => (await listAreas(ctx.db)).map((a) => ({ ...a, active: a.active === 1 })),
};
