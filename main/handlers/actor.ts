import { AppError, type ErrorReason } from '../../contract';
import { StaleRecordError, type Actor } from '../../db/sync/write';
import type { HandlerContext } from './context';
import { currentUserId } from './currentUser';

/** Who is writing: the current team member on this device, now. Every change of one request shares it. */
export async function actorOf(ctx: HandlerContext): Promise<Actor> {
  return { deviceId: ctx.deviceId, userId: await currentUserId(ctx), at: ctx.now().toISOString(), newId: ctx.newId };
}

/**
 * Runs a save that names the version the user edited. When someone saved the record meanwhile (here, in
 * another window, or a colleague's change that arrived by sync), the answer is CONFLICT with the record as it
 * is now, so the form can show what changed and let the user reload or keep their version — never a silent
 * overwrite.
 */
export async function savingVersion<T>(work: () => Promise<T>, current: () => Promise<unknown>, stale: { reason: ErrorReason; message: string }): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof StaleRecordError)) throw error;
    throw new AppError('CONFLICT', stale.message, { reason: stale.reason, current: (await current()) as Record<string, unknown> });
  }
}
