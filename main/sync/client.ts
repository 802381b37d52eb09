import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import {
  documentsMissingResponseSchema,
  helloResponseSchema,
  pullResponseSchema,
  pushResponseSchema,
  syncErrorSchema,
  type Change,
  type HelloResponse,
  type PullResponse,
  type PushResponse,
  type SyncErrorCode,
} from '../../contract/sync';

// The app's side of the sync protocol (contract/sync.ts) over HTTP: one method per endpoint, every answer
// checked against its schema, every failure turned into a SyncFailure the job can decide on (retry quietly,
// resend from a sequence, tell the recruiter what to do).

/** Why a request failed: the server's typed answer, or `offline` when no answer came. */
export class SyncFailure extends Error {
  constructor(
    readonly code: SyncErrorCode | 'offline' | 'bad_answer',
    message: string,
    readonly status: number | null = null,
    readonly lastApplied?: number,
    readonly serverTime?: number,
  ) {
    super(message);
    this.name = 'SyncFailure';
  }

  /** Worth trying again later by itself (the network, the server's load); the others need someone to act. */
  get transient(): boolean {
    return this.code === 'offline' || this.code === 'internal' || this.code === 'rate_limited' || this.code === 'bad_answer';
  }
}

export interface SyncServer {
  /** Checks the token; with a code tag, claims it for this device (the answer says the tag to use). */
  hello(deviceId: string, codeTag?: string): Promise<HelloResponse>;
  push(body: { deviceId: string; serverEpoch: string | null; changes: Change[] }): Promise<PushResponse>;
  /** `own`: this device's changes too (after a restore from an earlier copy). */
  pull(cursor: string, limit: number, own?: boolean): Promise<PullResponse>;
  missingDocuments(sha256: string[]): Promise<string[]>;
  uploadDocument(sha256: string, file: string): Promise<void>;
  /** Writes the document to `target`; false when the server does not have it. */
  downloadDocument(sha256: string, target: string): Promise<boolean>;
}

export interface ClientOptions {
  url: string;
  token: string;
  /** Cancels every request in flight (the job stopping, or the recruiter's Cancel). */
  signal?: AbortSignal;
  /** How long one request may take before it counts as offline. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createSyncClient(options: ClientOptions): SyncServer {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 60_000;

  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${options.token}`, ...init.headers }, signal: AbortSignal.any(signals) });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new SyncFailure('offline', error instanceof Error ? error.message : String(error));
    }
    if (response.ok) return response;
    const body: unknown = await response.json().catch(() => null);
    const parsed = syncErrorSchema.safeParse(body);
    if (parsed.success) throw new SyncFailure(parsed.data.error, parsed.data.message, response.status, parsed.data.lastApplied, parsed.data.serverTime);
    // Something between us and the server (a proxy's error page, a gateway timeout): as good as offline.
    throw new SyncFailure(response.status >= 500 ? 'offline' : 'bad_answer', `HTTP ${response.status}`, response.status);
  }

  async function json<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.output<S>> {
    const response = await request(path, init);
    const parsed = schema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new SyncFailure('bad_answer', `Unexpected answer from ${path}`, response.status);
    return parsed.data;
  }

  const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return {
    hello: (deviceId, codeTag) => json(helloResponseSchema, `/v1/hello?deviceId=${encodeURIComponent(deviceId)}${codeTag ? `&codeTag=${codeTag}` : ''}`),
    push: (body) => json(pushResponseSchema, '/v1/push', post(body)),
    pull: (cursor, limit, own = false) => json(pullResponseSchema, `/v1/pull?cursor=${encodeURIComponent(cursor)}&limit=${limit}${own ? '&own=1' : ''}`),
    missingDocuments: async (sha256) => (sha256.length ? (await json(documentsMissingResponseSchema, '/v1/documents/missing', post({ sha256 }))).missing : []),
    async uploadDocument(sha256, file) {
      const size = fs.statSync(file).size;
      const body = Readable.toWeb(fs.createReadStream(file)) as unknown as ReadableStream;
      await request(`/v1/documents/${sha256}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) }, body, duplex: 'half' } as RequestInit);
    },
    async downloadDocument(sha256, target) {
      try {
        const response = await request(`/v1/documents/${sha256}`);
        if (!response.body) return false;
        const partial = `${target}.partial`;
        await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream), fs.createWriteStream(partial));
        fs.renameSync(partial, target);
        return true;
      } catch (error) {
        if (error instanceof SyncFailure && error.code === 'not_found') return false;
        throw error;
      }
    },
  };
}
