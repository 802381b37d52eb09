import { channels, isChannelName, issuesFromZod, type ChannelName, type Result } from '../contract';
import { toApiError } from './errors';
import type { HandlerContext } from './handlers/context';
import { handlers } from './handlers';
import type { Handler } from './handlers/types';

export type Dispatch = (channel: string, input: unknown) => Promise<Result<unknown>>;

export interface DispatchOptions {
  /** Where unexpected failures are reported; the caller only sees a generic INTERNAL error. */
  logError?: (channel: string, error: unknown) => void;
}

/**
 * The one path from a transport (Electron IPC or the browser shell's HTTP bridge) to a handler:
 * parse the input, run the handler, parse the output, and turn every failure into a typed error.
 */
export function createDispatcher(ctx: HandlerContext, options: DispatchOptions = {}): Dispatch {
  const logError = options.logError ?? ((channel, error) => console.error(`[${channel}]`, error));
  const dispatch: Dispatch = async (channel, rawInput) => {
    if (!isChannelName(channel)) {
      return { ok: false, error: { code: 'NOT_FOUND', reason: 'unknown_channel', message: `Unknown channel: ${channel}` } };
    }
    const spec = channels[channel];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'VALIDATION', message: 'Some fields are not valid.', fields: issuesFromZod(parsed.error) },
      };
    }
    try {
      const handler = handlers[channel] as Handler<ChannelName>;
      const output = await handler(ctx, parsed.data as never);
      // A hot channel may declare a hand-written check of its output: it passes only what the schema would
      // return unchanged, so skipping zod then keeps the guarantee; anything else still goes through zod.
      const checked = 'fastOutput' in spec && spec.fastOutput(output) ? { success: true as const, data: output } : spec.output.safeParse(output);
      if (!checked.success) {
        logError(channel, checked.error);
        return { ok: false, error: { code: 'INTERNAL', reason: 'unexpected_answer', message: 'The application produced an unexpected answer.' } };
      }
      return { ok: true, data: checked.data };
    } catch (error) {
      return { ok: false, error: toApiError(error, (detail) => logError(channel, detail)) };
    }
  };
  // A channel marked exclusive (a restore replaces the open database) runs with no other request in flight.
  const { gate } = ctx;
  if (!gate) return dispatch;
  return (channel, rawInput) => {
    const spec = isChannelName(channel) ? channels[channel] : null;
    return spec && 'exclusive' in spec && spec.exclusive ? gate.exclusive(() => dispatch(channel, rawInput)) : gate.shared(() => dispatch(channel, rawInput));
  };
}
