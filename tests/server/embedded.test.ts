import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { pullResponseSchema } from '../../contract/sync';
import { addDevice, addTeam } from '../../server/src/admin';
import { openEmbedded } from '../../server/src/database';
import { ChangeMaker } from '../support/syncChanges';

// `npm run server` with no DATABASE_URL: the embedded PostgreSQL (PGlite) in a data folder, as a trial runs it.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-embedded-'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info' };
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], { env, encoding: 'utf8' });
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('serves on an embedded PostgreSQL in a data folder: team, devices, hello, push, pull', { timeout: 400_000 }, async () => {
  // Admin work in process (each CLI command would start the embedded database again: ~5 s each); the CLI's
  // admin path runs at the end, on the same folder.
  const database = await openEmbedded(dataDir);
  await addTeam(database.db, 'Trial agency');
  const { token: tokenA } = await addDevice(database.db, 'Trial agency', 'ana@example.com');
  const { token: tokenB } = await addDevice(database.db, 'Trial agency', 'bob@example.com');
  await database.close();

  child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Sync server listening on (http:\/\/[^"\s]+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child!.on('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });

  // While it serves, the folder is locked: an admin command says so instead of corrupting it.
  const locked = cli(['team', 'list']);
  expect(locked.status).toBe(1);
  expect(locked.stderr).toContain('in use by process');

  const call = async (token: string, url: string, body?: unknown) => {
    const response = await fetch(`${address}${url}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  expect(await call(tokenA, '/v1/hello?deviceId=laptop-a')).toMatchObject({ status: 200, body: { team: 'Trial agency', deviceId: 'laptop-a', userEmail: 'ana@example.com' } });
  expect((await call(tokenB, '/v1/hello?deviceId=laptop-b')).status).toBe(200);
  const a = new ChangeMaker('laptop-a', () => Date.now() - 1000);
  const changes = [a.create('client', 'c1'), a.change('client', 'c1', 'update', { phone: '+34 600 000 000' })];
  expect(await call(tokenA, '/v1/push', { deviceId: 'laptop-a', serverEpoch: null, changes })).toMatchObject({ status: 200, body: { lastApplied: 2, rejected: [] } });
  const pulled = await call(tokenB, '/v1/pull?cursor=0');
  expect(pullResponseSchema.parse(pulled.body).changes).toEqual(changes);
  expect((await fetch(`${address}/healthz`)).status).toBe(200);

  // SIGTERM closes the database and frees the folder for the admin commands again.
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  child = null;
  const issued = cli(['device', 'add', '--team', 'Trial agency', '--user', 'carla@example.com']);
  expect(issued.stderr).toBe('');
  expect(issued.stdout).toMatch(/^\s{2}[A-Za-z0-9_-]{43}$/m);
  const list = cli(['device', 'list', '--team', 'Trial agency']);
  expect(list.stdout).toContain('ana@example.com  device laptop-a, last applied 2');
  expect(list.stdout).toContain('bob@example.com  device laptop-b, last applied 0');
});
