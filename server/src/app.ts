import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  documentsMissingRequestSchema,
  documentsMissingResponseSchema,
  helloRequestSchema,
  helloResponseSchema,
  maxPushChanges,
  pullRequestSchema,
  pushRequestSchema,
  pushResponseSchema,
} from '../../contract/sync';
import { authenticate, bindDevice, claimCodeTag, type AuthedDevice } from './auth';
import { sha256Pattern, type DocumentStore } from './documents';
import { SyncHttpError } from './errors';
import { pullPage } from './pull';
import { applyPush } from './push';
import { RateLimiter } from './rateLimit';
import type { ServerDB } from './schema';

export interface Limits {
  /** Largest JSON body (a push of 1 000 changes with long notes fits comfortably). */
  bodyBytes: number;
  /** Largest document upload. */
  documentBytes: number;
  /** Requests per minute and device token, on average, and how many may come at once. */
  requestsPerMinute: number;
  requestBurst: number;
  /** Failed authentications per minute and client address before that address is refused for a while. */
  authFailuresPerMinute: number;
}

export const defaultLimits: Limits = {
  bodyBytes: 8 * 1024 * 1024,
  documentBytes: 100 * 1024 * 1024,
  requestsPerMinute: 600,
  requestBurst: 120,
  authFailuresPerMinute: 30,
};

export interface ServerOptions {
  db: Kysely<ServerDB>;
  documents: DocumentStore;
  /** The server's clock in ms (tests stop it). */
  now?: () => number;
  limits?: Partial<Limits>;
  logger?: FastifyServerOptions['logger'];
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for the per-address limit). */
  trustProxy?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    device: AuthedDevice | null;
  }
}

/** The sync API (`/v1/…`, contract/sync.ts) and a health check, over one database and one document store. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { db, documents } = options;
  const now = options.now ?? Date.now;
  const limits = { ...defaultLimits, ...options.limits };
  const requests = new RateLimiter(limits.requestsPerMinute, limits.requestBurst, now);
  const authFailures = new RateLimiter(limits.authFailuresPerMinute, limits.authFailuresPerMinute, now);

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.bodyBytes,
    trustProxy: options.trustProxy ?? false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('device', null);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SyncHttpError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return reply.code(error.status).headers(error.headers).send(error.body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.slice(0, 5).map((issue) => `${(error as { validationContext?: string }).validationContext ?? 'body'}${issue.instancePath}: ${issue.message}`);
      return reply.code(400).send({ error: 'bad_request', message: issues.join('; ') });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return reply.code(413).send({ error: 'too_large', message: `The body is over the limit of ${limits.bodyBytes} bytes.` });
    if (status && status >= 400 && status < 500) return reply.code(400).send({ error: 'bad_request', message: (error as Error).message });
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'The server failed to handle this request; it was logged.' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `No ${request.method} ${request.url.split('?')[0]} here.` }));

  // Authentication comes first, before a body is even read: an unknown caller learns nothing about the API.
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v1/')) return;
    const address = `address:${request.ip}`;
    const blocked = authFailures.exhausted(address);
    if (blocked) throw rateLimited(blocked);
    try {
      request.device = await authenticate(db, request.headers.authorization);
    } catch (error) {
      if (error instanceof SyncHttpError && error.status === 401) authFailures.take(address);
      throw error;
    }
    const wait = requests.take(`token:${request.device.tokenId}`);
    if (wait) throw rateLimited(wait);
  });

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/healthz', async () => {
    await sql`SELECT 1`.execute(db);
    return { ok: true };
  });

  api.get('/v1/hello', { schema: { querystring: helloRequestSchema, response: { 200: helloResponseSchema } } }, async (request) => {
    const device = (await bindDevice(db, deviceOf(request), request.query.deviceId)) as AuthedDevice & { deviceId: string };
    await db.updateTable('devices').set({ last_seen_at: new Date(now()) }).where('id', '=', device.tokenId).execute();
    const codeTag = await claimCodeTag(db, device, request.query.codeTag);
    const sequence = await db.selectFrom('device_sequences').select('last_applied').where('team_id', '=', device.teamId).where('device_id', '=', device.deviceId).executeTakeFirst();
    return { team: device.teamName, deviceId: device.deviceId, userEmail: device.userEmail, serverEpoch: device.epoch, serverTime: now(), lastApplied: Number(sequence?.last_applied ?? 0), codeTag };
  });

  api.post(
    '/v1/push',
    {
      schema: { body: pushRequestSchema, response: { 200: pushResponseSchema } },
      // Before validation, so an oversized batch is "too large" rather than a schema error.
      preValidation: async (request) => {
        const changes = (request.body as { changes?: unknown } | null)?.changes;
        if (Array.isArray(changes) && changes.length > maxPushChanges) throw new SyncHttpError('too_large', `A push holds at most ${maxPushChanges} changes (got ${changes.length}).`);
      },
    },
    async (request) => {
      const device = await bindDevice(db, deviceOf(request), request.body.deviceId);
      const { response, stats } = await applyPush(db, device as AuthedDevice & { deviceId: string }, request.body, now());
      request.log.info({ team: device.teamId, device: device.deviceId, lastApplied: response.lastApplied, ...stats }, 'push');
      return response;
    },
  );

  api.get('/v1/pull', { schema: { querystring: pullRequestSchema } }, async (request, reply) => {
    const device = boundDevice(request);
    if (BigInt(request.query.cursor) > 9_223_372_036_854_775_807n) throw new SyncHttpError('bad_request', 'The cursor is out of range.');
    const page = await pullPage(db, device, request.query.cursor, request.query.limit, now(), request.query.own === '1');
    request.log.debug({ team: device.teamId, device: device.deviceId, changes: page.changes, cursor: page.cursor }, 'pull');
    return reply.type('application/json; charset=utf-8').send(page.json);
  });

  api.post('/v1/documents/missing', { schema: { body: documentsMissingRequestSchema, response: { 200: documentsMissingResponseSchema } } }, async (request) => {
    const device = deviceOf(request);
    const present = await documents.has(device.teamId, request.body.sha256);
    return { missing: [...new Set(request.body.sha256)].filter((hash) => !present.has(hash)) };
  });

  const documentParams = z.object({ sha256: z.string().regex(sha256Pattern, { message: 'a lower-case hex SHA-256' }) });
  await app.register(async (scope) => {
    // Uploads are streamed to the store as they arrive (hashed and counted on the way), never buffered whole.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().put('/v1/documents/:sha256', { schema: { params: documentParams } }, async (request, reply) => {
      const device = deviceOf(request);
      const declared = Number(request.headers['content-length']);
      if (declared > limits.documentBytes) throw new SyncHttpError('too_large', `A document may hold at most ${limits.documentBytes} bytes.`);
      const body = request.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') throw new SyncHttpError('bad_request', 'The document is the request body.');
      try {
        const stored = await documents.put(device.teamId, request.params.sha256, body, limits.documentBytes);
        return reply.code(stored.created ? 201 : 200).send({ sha256: request.params.sha256, bytes: stored.bytes });
      } catch (error) {
        if (!body.readableEnded) {
          // Refused part-way: read the rest into nothing, or a client still sending would never read the answer,
          // and do not reuse the connection.
          body.resume();
          reply.header('connection', 'close');
        }
        throw error;
      }
    });
  });

  api.get('/v1/documents/:sha256', { schema: { params: documentParams } }, async (request, reply) => {
    const device = deviceOf(request);
    const found = await documents.get(device.teamId, request.params.sha256);
    if (!found) throw new SyncHttpError('not_found', 'This team has no document with that hash.');
    return reply.type('application/octet-stream').header('content-length', found.bytes).header('cache-control', 'private, max-age=31536000, immutable').send(found.body);
  });

  return app;
}

function deviceOf(request: FastifyRequest): AuthedDevice {
  if (!request.device) throw new SyncHttpError('unauthorized', 'Not authenticated.');
  return request.device;
}

/** Pull and documents need the device id that hello or a push bound to the token (its own pushes are not sent back). */
function boundDevice(request: FastifyRequest): AuthedDevice & { deviceId: string } {
  const device = deviceOf(request);
  if (!device.deviceId) throw new SyncHttpError('forbidden', 'This token is not bound to a device yet: call /v1/hello?deviceId=… first.');
  return device as AuthedDevice & { deviceId: string };
}

function rateLimited(seconds: number) {
  return new SyncHttpError('rate_limited', `Too many requests; retry in ${seconds} s.`, { headers: { 'retry-after': String(seconds) } });
}
