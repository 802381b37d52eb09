import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../contract';
import type { Area } from '../../contract/areas';
import type { Client } from '../../contract/clients';
import type { ClientEvent } from '../../contract/events';
import { channelInputs, type Pools } from '../support/fuzzInputs';
import { proofSettings, printFigures } from '../support/proofSettings';
import { testRuntime } from '../support/runtime';
import { csvFile, upload } from '../support/transfer';

// Proof (b) of the reliability issue: every channel, fed inputs generated from its own zod schema and mutated
// (fast-check, seeded), answers a typed error or a valid output — never INTERNAL — and a refused request
// changes no table and leaves no file. The bounded form runs in `npm test`; `npm run proofs` runs the long one.

const { long, seed } = proofSettings();
const runsPerChannel = Number(process.env.PROOFS_RUNS) || (long ? 200 : 10);

type Rt = Awaited<ReturnType<typeof testRuntime>>;
let rt: Rt;
let pools: Pools;

/** Every row of every table (virtual ones are seen through their shadow tables), as one digest per table. */
function tableDigests(): Record<string, string> {
  const sqlite = rt.database.sqlite;
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").all() as { name: string }[];
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const hash = crypto.createHash('sha256');
    for (const row of sqlite.prepare(`SELECT * FROM "${name}"`).raw().iterate()) hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('hex') : v)));
    out[name] = hash.digest('hex');
  }
  return out;
}

/** Every file in the data folder but the database's own (name and size). */
function filesOf(): string[] {
  const database = path.basename(rt.database.file ?? '');
  return (fs.readdirSync(rt.dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile() && !d.name.startsWith(database || 'clients.sqlite') && !d.name.startsWith('clients-instance'))
    .map((d) => `${path.relative(rt.dir, path.join(d.parentPath, d.name))}:${fs.statSync(path.join(d.parentPath, d.name)).size}`)
    .sort();
}

/** The sync channels only ever talk to a closed local port: a generated server address is pointed there. */
function offline(channel: string, input: unknown): unknown {
  if (!channel.startsWith('sync.') || !input || typeof input !== 'object' || typeof (input as { url?: unknown }).url !== 'string') return input;
  try {
    const url = new URL((input as { url: string }).url);
    url.hostname = '127.0.0.1';
    url.port = '9';
    return { ...input, url: url.toString() };
  } catch {
    return input;
  }
}

// Channels that take away what later ones are given (staged files, the open database) run last.
const lastOnes = ['tasks.cancel', 'files.discard', 'imports.restore', 'backups.restore'];
const order = [...Object.keys(channels).filter((c) => !lastOnes.includes(c)), ...lastOnes];

beforeAll(async () => {
  rt = await testRuntime({ sync: { debounceMs: 3_600_000, intervalMs: 3_600_000, maxBackoffMs: 3_600_000 } });
  const areas = await rt.call<Area[]>('areas.list');
  const user = await rt.call<{ id: string }>('users.create', { name: 'Ana García', email: 'ana@agency.es' });
  const client = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.es', areaId: areas[0]!.id, website: 'acme.es' });
  const contact = await rt.call<{ id: string }>('contacts.create', { clientId: client.id, name: 'José Núñez', email: 'jose@acme.es' });
  const event = await rt.call<ClientEvent>('events.create', { clientId: client.id, type: 'meeting', title: 'Kick-off', occurredAt: '2026-11-10T09:00:00.000Z', attachments: [{ fileName: 'agenda.pdf', contentBase64: Buffer.from('%PDF').toString('base64') }] });
  const job = await rt.call<{ id: string }>('jobs.create', { clientId: client.id, title: 'Engineer' });
  const lead = await rt.call<{ id: string }>('leads.create', { companyName: 'Lead Co' });
  const view = await rt.call<{ id: string }>('views.create', { name: 'Mine', query: {} });
  const csv = await upload(rt, 'clients.csv', csvFile([['Company', 'Email', 'Area'], ['Beta', 'info@beta.es', areas[0]!.name]]));
  const ids = { clientId: [client.id], areaId: areas.map((a) => a.id), ownerId: [user.id], leadId: [lead.id], fileId: [csv], contactId: [contact.id] };
  pools = {
    ...ids,
    id: [client.id, contact.id, event.id, job.id, lead.id, view.id, user.id, event.attachments[0]!.id],
    'ownerIds[]': [user.id],
    'areaIds[]': ids.areaId,
    'removeAttachmentIds[]': [event.attachments[0]!.id],
    currentUserId: [user.id],
    version: [1, 2, 3],
    cursor: [null],
  };
});
afterAll(() => rt?.dispose());

describe('fuzz of every channel', () => {
  it(`${runsPerChannel} generated and mutated inputs per channel: typed errors or valid outputs, and refusals write nothing`, async () => {
    const answers: Record<string, number> = {};
    const problems: string[] = [];
    let requests = 0;
    for (const [index, channel] of order.entries()) {
      const schema = channels[channel as keyof typeof channels].input;
      const inputs = fc.sample(channelInputs(schema, pools), { seed: seed + index, numRuns: runsPerChannel });
      if (process.env.PROOFS_TRACE) process.stderr.write(`${channel} ${Date.now()}\n`);
      for (const { input: generated } of inputs) {
        const input = offline(channel, generated);
        const tables = tableDigests();
        const files = filesOf();
        const result = await rt.dispatch(channel, input);
        requests++;
        const answer = result.ok ? 'ok' : result.error.code;
        answers[answer] = (answers[answer] ?? 0) + 1;
        if (result.ok) {
          // A task started: it ends before the next request, so its writes are never taken for a refusal's.
          const taskId = (result.data as { taskId?: unknown } | null)?.taskId;
          if (typeof taskId === 'string') await rt.ctx.tasks.settled(taskId);
          if (channel.startsWith('sync.')) await rt.ctx.sync.cancel();
          continue;
        }
        const shown = JSON.stringify(input)?.slice(0, 300);
        if (result.error.code === 'INTERNAL') problems.push(`${channel} INTERNAL ${shown} (${String(rt.errors.at(-1))})`);
        const after = tableDigests();
        const changed = Object.keys(after).filter((t) => after[t] !== tables[t]);
        if (changed.length) problems.push(`${channel} refused (${answer}) but changed ${changed.join(', ')}: ${shown}`);
        const left = filesOf().filter((f) => !files.includes(f));
        if (left.length) problems.push(`${channel} refused (${answer}) but left ${left.join(', ')}: ${shown}`);
      }
    }
    printFigures('fuzz', { seed, channels: order.length, requests, ...answers, problems: problems.length });
    expect(problems).toEqual([]);
    expect(answers.INTERNAL ?? 0).toBe(0);
    // A ceiling for a hung request, not a speed limit: the bounded form takes ~20 s here.
  }, 1_800_000);
});
