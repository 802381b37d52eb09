import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Change } from '../../../contract/sync';
import { addDevice, addTeam } from '../../../server/src/admin';
import { buildServer, type Limits } from '../../../server/src/app';
import { openPostgres, type Database } from '../../../server/src/database';
import { FolderDocumentStore } from '../../../server/src/documents';
import { ChangeMaker } from '../../support/syncChanges';

/** A database of its own in the run's PostgreSQL cluster (created empty, migrated), so test files run in parallel. */
export async function testDatabase(): Promise<Database & { url: string }> {
  const adminUrl = inject('postgresUrl');
  const name = `sync_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: 20 });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

export type Call = <T = Record<string, unknown>>(token: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers?: Record<string, string>) => Promise<Answer<T>>;

/** The sync server on a fresh database, called in process (fastify's inject), with helpers to set teams and devices up. */
export async function testServer(options: { now?: () => number; limits?: Partial<Limits>; database?: Database } = {}) {
  const database = options.database ?? (await testDatabase());
  const documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-docs-'));
  const clock = { now: options.now ?? (() => Date.UTC(2026, 0, 1, 12)) };
  const app = await buildServer({
    db: database.db,
    documents: new FolderDocumentStore(documentsDir),
    now: () => clock.now(),
    limits: { requestsPerMinute: 1_000_000, requestBurst: 1_000_000, authFailuresPerMinute: 1_000_000, ...options.limits },
  });
  await app.ready();

  const call: Call = async <T,>(token: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> => {
    const response = await app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload !== undefined && typeof payload !== 'string' && !Buffer.isBuffer(payload) ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload) }),
    });
    const type = String(response.headers['content-type'] ?? '');
    return { status: response.statusCode, body: (type.includes('json') ? response.json() : response.rawPayload) as T, headers: response.headers };
  };

  return {
    app,
    db: database.db,
    database,
    documentsDir,
    clock,
    call,
    async team(name = `Team ${randomUUID().slice(0, 8)}`) {
      return addTeam(database.db, name);
    },
    /** A token for a new device of the team, already bound to `deviceId` through hello. */
    async device(teamName: string, deviceId: string = randomUUID(), options: { bind?: boolean } = {}): Promise<TestDevice & { tokenId: string }> {
      const issued = await addDevice(database.db, teamName, `${deviceId.slice(0, 12).replace(/[^A-Za-z0-9-]/g, '-')}@example.com`);
      const device = new TestDevice(call, issued.token, deviceId, () => clock.now() - 1000);
      if (options.bind !== false) {
        const hello = await device.hello();
        if (hello.status !== 200) throw new Error(`hello failed: ${JSON.stringify(hello.body)}`);
      }
      return Object.assign(device, { tokenId: issued.id });
    },
    async close() {
      await app.close();
      if (!options.database) await database.close();
      fs.rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof testServer>>;

/** One device talking to the server: makes changes with its own sequence and clock, pushes and pulls them. */
export class TestDevice extends ChangeMaker {
  epoch: string | null = null;
  cursor = '0';

  constructor(
    public call: Call,
    readonly token: string,
    deviceId: string,
    clock: () => number,
  ) {
    super(deviceId, clock);
  }

  hello() {
    return this.call<{ deviceId: string; serverEpoch: string }>(this.token, 'GET', `/v1/hello?deviceId=${encodeURIComponent(this.deviceId)}`);
  }

  push(changes: Change[], deviceId = this.deviceId) {
    return this.call<{ lastApplied: number; rejected: { deviceSeq: number; id: string; reason: string; detail: string }[]; serverEpoch: string; error?: string }>(this.token, 'POST', '/v1/push', {
      deviceId,
      serverEpoch: this.epoch,
      changes,
    });
  }

  pull(cursor = this.cursor, limit?: number) {
    return this.call<{ changes: Change[]; cursor: string; more: boolean; remaining: number; serverEpoch: string; error?: string }>(
      this.token,
      'GET',
      `/v1/pull?cursor=${cursor}${limit ? `&limit=${limit}` : ''}`,
    );
  }

  /** Pulls page after page from its cursor until nothing more waits; returns every change received. */
  async pullAll(limit?: number): Promise<Change[]> {
    const received: Change[] = [];
    for (;;) {
      const page = await this.pull(this.cursor, limit);
      if (page.status !== 200) throw new Error(`pull failed: ${JSON.stringify(page.body)}`);
      received.push(...page.body.changes);
      this.cursor = page.body.cursor;
      if (!page.body.more) return received;
    }
  }
}
