import type { ChannelName, Output, ParsedInput } from '../../contract';
import type { HandlerContext } from './context';

export type Handler<C extends ChannelName> = (ctx: HandlerContext, input: ParsedInput<C>) => Promise<Output<C>>;

/** A handler for each of the given channels; the merged map must cover every channel or it does not compile. */
export type HandlerMap<C extends ChannelName> = { [K in C]: Handler<K> };
