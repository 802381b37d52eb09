import type { SyncError, SyncErrorCode } from '../../contract/sync';

const statusOf: Record<SyncErrorCode, number> = {
  bad_request: 400,
  hash_mismatch: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  gap: 409,
  clock_skew: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** A refusal the device can act on: answered as `syncErrorSchema` JSON with the code's HTTP status. */
export class SyncHttpError extends Error {
  readonly status: number;
  readonly body: SyncError;
  readonly headers: Record<string, string>;

  constructor(error: SyncErrorCode, message: string, extra: { lastApplied?: number; serverTime?: number; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = statusOf[error];
    this.headers = extra.headers ?? {};
    this.body = {
      error,
      message,
      ...(extra.lastApplied !== undefined ? { lastApplied: extra.lastApplied } : {}),
      ...(extra.serverTime !== undefined ? { serverTime: extra.serverTime } : {}),
    };
  }
}
