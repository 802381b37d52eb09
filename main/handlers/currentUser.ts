import { readSetting } from '../../db/repositories/settings';
import type { HandlerContext } from './context';

/** The team member acting on this device (a setting), recorded on every change. */
export async function currentUserId(ctx: HandlerContext): Promise<string | null> {
  const value = await readSetting(ctx.db, 'currentUserId');
  return typeof value === 'string' ? value : null;
}
