import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { WriterMessage, WriterOptions } from './proofWriter';

// Tests run from the repository's root (npm scripts do).
const root = process.cwd();

/** A writer process (tests/support/proofWriter.ts) and everything it reported. */
export interface Writer {
  child: ChildProcess;
  messages: WriterMessage[];
  /** Settles when the process has exited (killed or done), with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  acks(): Extract<WriterMessage, { kind: 'ack' }>[];
  /** The rows the import had committed at its last batch reported. */
  importedRows(): number;
}

/**
 * Starts a writer; `onMessage` sees each report as it arrives (a crash proof kills the process from there, at
 * a count of acknowledgements). Nothing here waits on time: only on the process's own reports and its exit.
 */
export function startWriter(options: WriterOptions, onMessage: (message: WriterMessage, writer: Writer) => void = () => undefined): Writer {
  const child = fork(path.join(root, 'tests/support/proofWriter.ts'), [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: WriterMessage[] = [];
  const writer: Writer = {
    child,
    messages,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    acks: () => messages.filter((m): m is Extract<WriterMessage, { kind: 'ack' }> => m.kind === 'ack'),
    importedRows: () => Math.max(0, ...messages.map((m) => (m.kind === 'import' ? m.rows : 0))),
  };
  let reports = 0;
  child.on('message', (message: WriterMessage) => {
    messages.push(message);
    onMessage(message, writer);
    // Each report read is confirmed (the writer waits for it before its next report), unless it was just killed.
    if (message.kind === 'ack' || message.kind === 'import') {
      reports++;
      if (!child.killed && child.connected) child.send({ confirmed: reports }, () => undefined);
    }
  });
  return writer;
}

const tables = { client: 'clients', contact: 'client_contacts', event: 'events' } as const;

/**
 * What an acknowledged write must have left, whatever happened after it: its record (at least at the version
 * acknowledged) and the change-log row of that version. Returns the problems found (empty when none).
 */
export async function checkAcknowledged(db: Kysely<DB>, acks: Extract<WriterMessage, { kind: 'ack' }>[]): Promise<string[]> {
  const problems: string[] = [];
  for (const ack of acks) {
    const row = (await db.selectFrom(tables[ack.entity]).select(['id', 'version']).where('id', '=', ack.id).executeTakeFirst()) as { id: string; version: number } | undefined;
    if (!row) {
      problems.push(`${ack.channel} ${ack.id}: acknowledged, missing`);
      continue;
    }
    if (row.version < ack.version) problems.push(`${ack.channel} ${ack.id}: acknowledged version ${ack.version}, found ${row.version}`);
    const operation = ack.channel.endsWith('.create') ? 'create' : 'update';
    const logged = await db.selectFrom('change_log').select('id').where('entity', '=', ack.entity).where('entity_id', '=', ack.id).where('operation', '=', operation).executeTakeFirst();
    if (!logged) problems.push(`${ack.channel} ${ack.id}: acknowledged, no change-log row`);
  }
  return problems;
}
