import { AppError } from '../../contract';
import { idSchema } from '../../contract/common';

/**
 * The one keyset position every paged list hands out: the sort value of the last row and its id, as JSON in
 * base64url. Opaque to the renderer, which only sends back what it was given; anything else (a position
 * made by hand, another list's format, a truncated one) is refused as `invalid_cursor`, never read as SQL
 * values of the wrong kind.
 */
export function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/** The position `encodeCursor` made, or VALIDATION `invalid_cursor`; `value` may be checked further by the list. */
export function decodeCursor(cursor: string | null, valueOk: (value: string) => boolean = () => true): { value: string; id: string } | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && idSchema.safeParse(parsed[1]).success && valueOk(parsed[0])) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the validation error below
  }
  throw new AppError('VALIDATION', 'The list position is not valid any more; reload the list.', { fields: [{ path: 'cursor', message: 'invalid_cursor' }] });
}

/** A position whose sort value is an instant (ISO-8601 UTC), as the timelines and the leads list use. */
export const isInstant = (value: string) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value);
