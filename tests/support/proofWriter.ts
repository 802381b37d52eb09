// A writing Clients, as a process of its own, for the crash and two-writer proofs (tests/proofs): a real
// runtime on a data folder and a database file, making seeded API writes (clients, their contacts, events with
// a document, edits) while an import runs beside them in batches of a fixed size. Every write it makes is
// reported to the parent over IPC only once its channel answered ok (acknowledged: committed); refusals are
// reported with their code. The parent kills it with SIGKILL at a count of acknowledgements of its choosing.
// `node --import tsx tests/support/proofWriter.ts '<json WriterOptions>'`.
import { channels } from '../../contract';
import type { Area } from '../../contract/areas';
import { createDispatcher } from '../../main/dispatch';
import { startRuntime } from '../../main/runtime';
import { fixedPacing, runImport } from '../../main/transfer/imports';
import { csvFile } from './transfer';

export interface WriterOptions {
  dataDir: string;
  databaseFile: string;
  /** Names of what this process writes start with it, so the parent can tell each run's records apart. */
  tag: string;
  seed: number;
  writes: number;
  /** Rows of the import started beside the writes (0: none), committed in batches of batchRows. */
  importRows: number;
  batchRows: number;
}

export type WriterMessage =
  | { kind: 'ready' }
  | { kind: 'ack'; channel: string; entity: 'client' | 'contact' | 'event'; id: string; version: number }
  | { kind: 'import'; rows: number }
  | { kind: 'refused'; channel: string; code: string }
  | { kind: 'done'; imported: number | null };

const options = JSON.parse(process.argv[2]!) as WriterOptions;
const send = (message: WriterMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

// The parent confirms each report it has read. A write is reported only once the report before it was read,
// so the parent is never more than one report behind — however busy the machine — and a kill decided at a
// count of reports lands while this process is still writing, not after it has finished.
let sent = 0;
let confirmed = 0;
const confirmWaiters: (() => void)[] = [];
process.on('message', (message: { confirmed: number }) => {
  confirmed = Math.max(confirmed, message.confirmed);
  for (const wake of confirmWaiters.splice(0)) wake();
});
const report = async (message: WriterMessage) => {
  while (confirmed < sent) await new Promise<void>((resolve) => confirmWaiters.push(resolve));
  sent++;
  await send(message);
};

// A small seeded generator (mulberry32): the same seed makes the same writes in the same order.
let state = options.seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Names unlike each other (the duplicate check would rightly refuse `Acme 1` next to `Acme 2`), made of
// seeded syllables; the run's tag is in each email's domain, which is unique too.
const syllable = () => 'bcdfghjklmnprstvz'[Math.floor(random() * 17)]! + 'aeiou'[Math.floor(random() * 5)]!;
const word = () => Array.from({ length: 4 }, syllable).join('');
const companyName = () => { const w = word(); return `${w[0]!.toUpperCase()}${w.slice(1)} ${word()}`; };
const emailOf = (local: string, unique: string) => `${local}@${unique}-${options.tag.toLowerCase()}.com`;

const runtime = await startRuntime({
  databaseFile: options.databaseFile,
  dataDir: options.dataDir,
  shell: 'browser',
  appVersion: 'test',
  sync: { debounceMs: 3_600_000, intervalMs: 3_600_000, maxBackoffMs: 3_600_000 },
});
const { ctx } = runtime;
const dispatch = createDispatcher(ctx, { logError: (channel, error) => console.error(`[writer ${options.tag}] ${channel}`, error) });
const call = async (channel: string, input: unknown) => {
  const result = await dispatch(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.data;
};
const areas = (await call('areas.list', {})) as Area[];
await send({ kind: 'ready' });

// The import beside the writes: its own writer thread and connection, batches of a fixed size.
let imported: Promise<number | null> = Promise.resolve(null);
// The writes keep pace with the import by counts, not time: before every third write, the import has committed
// one more batch (or ended), so a kill at any count of acknowledgements finds both at work.
let batches = 0;
let importEnded = options.importRows === 0;
let batchWaiter: (() => void) | null = null;
const nextBatch = (atLeast: number) =>
  importEnded || batches >= atLeast ? Promise.resolve() : new Promise<void>((resolve) => (batchWaiter = () => (importEnded || batches >= atLeast) && (resolve(), true)));
const batchMoved = () => {
  if (batchWaiter) batchWaiter();
};
if (options.importRows > 0) {
  const rows = Array.from({ length: options.importRows }, (_, i) => [companyName(), emailOf('info', `i${i}${word()}`), areas[0]!.name]);
  const bytes = Buffer.from(csvFile([['Company', 'Email', 'Area'], ...rows]), 'utf8');
  const staged = ctx.staging.beginUpload('import.csv', bytes.length);
  ctx.staging.append(staged.fileId, 0, bytes);
  const analysis = (await call('imports.analyze', { fileId: staged.fileId, target: 'clients' })) as { mapping: (string | null)[] };
  const input = channels['imports.start'].input.parse({ fileId: staged.fileId, target: 'clients', mapping: analysis.mapping });
  const pacing = fixedPacing(options.batchRows, (rows) => {
    batches++;
    void report({ kind: 'import', rows }).then(batchMoved);
  });
  const task = ctx.tasks.start('import', (control) => runImport(ctx, input, control, pacing));
  imported = ctx.tasks.settled(task.id).then((ended) => {
    importEnded = true;
    batchMoved();
    return ended.result?.kind === 'import' ? ended.result.summary.created : null;
  });
}

const mine: { id: string; version: number }[] = [];
for (let i = 0; i < options.writes; i++) {
  if (i % 3 === 0) await nextBatch(i / 3);
  const roll = random();
  const target = mine.length ? mine[Math.floor(random() * mine.length)]! : null;
  let channel: string;
  let input: Record<string, unknown>;
  let entity: 'client' | 'contact' | 'event' = 'client';
  if (!target || roll < 0.4) {
    channel = 'clients.create';
    input = { companyName: companyName(), email: emailOf('info', `w${i}${word()}`), areaId: areas[i % areas.length]!.id, comments: `write ${i}` };
  } else if (roll < 0.6) {
    channel = 'clients.update';
    input = { id: target.id, version: target.version, companyName: companyName(), email: emailOf('sales', `u${i}${word()}`), areaId: areas[0]!.id };
  } else if (roll < 0.8) {
    channel = 'contacts.create';
    entity = 'contact';
    input = { clientId: target.id, name: `Contact ${i}`, email: emailOf(`c${i}`, 'contacts') };
  } else {
    channel = 'events.create';
    entity = 'event';
    // A document of its own bytes each time: a new file in the store, written before the transaction.
    input = { clientId: target.id, type: 'meeting', title: `Meeting ${i}`, occurredAt: '2026-11-10T09:00:00.000Z', attachments: [{ fileName: `notes-${i}.txt`, contentBase64: Buffer.from(`${options.tag} notes ${i} ${random()}`).toString('base64') }] };
  }
  const result = await dispatch(channel, input);
  if (!result.ok) {
    await send({ kind: 'refused', channel, code: result.error.code });
    continue;
  }
  const data = result.data as { id: string; version: number };
  if (channel === 'clients.create') mine.push({ id: data.id, version: data.version });
  if (channel === 'clients.update') target!.version = data.version;
  await report({ kind: 'ack', channel, entity, id: data.id, version: data.version ?? 1 });
}
await send({ kind: 'done', imported: await imported });
await runtime.close();
process.exit(0);
