// npm run seed -- --db FILE --clients N [--seed S] [--now YYYY-MM-DD] [--force]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../open';
import { uuidv7 } from 'uuidv7';
import { ensureDeviceIdentity } from '../device';
import { ensureReferenceData } from '../reference';
import { generateDemoData } from './generate';

function fail(message: string): never {
  console.error(`${message}\nUsage: npm run seed -- --db FILE --clients N [--seed S] [--now YYYY-MM-DD] [--force]`);
  process.exit(1);
}

async function main() {
  let values;
  try {
    values = parseArgs({
      options: { db: { type: 'string' }, clients: { type: 'string' }, seed: { type: 'string', default: '42' }, now: { type: 'string' }, force: { type: 'boolean', default: false } },
      strict: true,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.db) fail('Missing --db FILE.');
  const clients = Number(values.clients);
  if (!Number.isInteger(clients) || clients <= 0) fail(`--clients must be a positive whole number (got "${values.clients ?? ''}").`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed must be a whole number (got "${values.seed}").`);

  // History ends today (noon UTC) unless --now pins it: the same seed and day give the same data.
  const now = values.now ? new Date(`${values.now}T12:00:00.000Z`) : new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00.000Z`);
  if (Number.isNaN(now.getTime())) fail(`--now must be a date like 2026-11-24 (got "${values.now}").`);
  const file = path.resolve(values.db);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = await openDatabase(file);
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  process.on('SIGTERM', () => controller.abort());
  try {
    const existing = (database.sqlite.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
    if (existing > 0 && !values.force) fail(`${file} already has ${existing} clients; add --force to add more.`);
    let name = 'Me';
    try {
      name = os.userInfo().username || name;
    } catch {
      // keep the default
    }
    const { deviceId } = await ensureDeviceIdentity(database.db, uuidv7);
    await ensureReferenceData(database.db, { actor: { deviceId, userId: null, at: new Date().toISOString(), newId: uuidv7 }, firstUserName: name.charAt(0).toUpperCase() + name.slice(1) });

    const started = performance.now();
    const tty = process.stdout.isTTY;
    let lastLine = 0;
    const summary = await generateDemoData(database, {
      clients,
      seed,
      now,
      signal: controller.signal,
      onProgress: (done, total) => {
        const pct = Math.floor((done / total) * 100);
        if (tty) process.stdout.write(`\rGenerating… ${done.toLocaleString('en')} / ${total.toLocaleString('en')} clients (${pct} %)   `);
        else if (pct >= lastLine + 10 || done === total) {
          lastLine = pct;
          console.log(`Generating… ${done} / ${total} clients (${pct} %)`);
        }
      },
    });
    if (tty) process.stdout.write('\n');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${summary.aborted ? 'Stopped' : 'Done'} in ${seconds} s: ${summary.clients} clients, ${summary.contacts} contacts, ${summary.events} events, ${summary.jobs} jobs, ${summary.leads} leads, ${summary.users} new team members → ${file}`,
    );
  } finally {
    await database.close();
  }
}

void main();
