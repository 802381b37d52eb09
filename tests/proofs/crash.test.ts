import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open';
import { checkAcknowledged, startWriter } from '../support/proofProcess';
import { printFigures, proofSettings } from '../support/proofSettings';
import { replayInto, syncedTables } from '../support/replay';

// Proof (a) of the reliability issue: a Clients process writing (API calls, and an import beside them) is
// killed with SIGKILL at seeded moments, again and again on the same data folder. The moment is a count of
// acknowledged writes drawn from the seed — never a timer — so the proof does not depend on the machine's
// speed. After each kill the database is opened again (a restart) and must hold: integrity_check ok, no
// broken reference, every acknowledged write present with its change-log row, the import in whole batches
// only, every document of an attachment present, and the change log alone rebuilding every synced table row
// for row (nothing written outside a whole transaction).

const { long, seed } = proofSettings();
const kills = long ? 24 : 3;
const writesPerRun = long ? 120 : 40;
const importRows = long ? 600 : 120;
const batchRows = long ? 50 : 20;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-crash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The same small seeded generator as the writer's (mulberry32).
function seeded(start: number) {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('crash proof', () => {
  it(`${kills} kills with SIGKILL at seeded counts of acknowledged writes: nothing acknowledged lost, nothing half-written`, async () => {
    const random = seeded(seed);
    const databaseFile = path.join(dir, 'clients.sqlite');
    const figures = { kills: 0, acknowledged: 0, importBatches: 0, refused: 0, lost: 0, halfWritten: 0, finishedBeforeKill: 0 };
    const problems: string[] = [];
    // Until the wanted number of kills (a writer that ends before its moment counts as a run, not a kill).
    for (let run = 0; figures.kills < kills && run < kills * 2; run++) {
      // Killed after this many acknowledgements (API writes and import batches together), 1 … most of a run.
      const killAt = 1 + Math.floor(random() * (writesPerRun * 0.9));
      let seen = 0;
      const tag = `R${run}`;
      const writer = startWriter({ dataDir: dir, databaseFile, tag, seed: seed + run, writes: writesPerRun, importRows, batchRows }, (message, w) => {
        if (message.kind !== 'ack' && message.kind !== 'import') return;
        seen++;
        if (seen === killAt) w.child.kill('SIGKILL');
      });
      const { signal, code } = await writer.exited;
      if (signal === 'SIGKILL') figures.kills++;
      else {
        expect(code, `writer ${tag} ended without being killed`).toBe(0);
        figures.finishedBeforeKill++;
      }
      const acks = writer.acks();
      figures.acknowledged += acks.length;
      figures.importBatches += writer.messages.filter((m) => m.kind === 'import').length;
      figures.refused += writer.messages.filter((m) => m.kind === 'refused').length;

      // The restart: the file opened again as the app opens it (WAL recovered, migrations checked).
      const opened = await openDatabase(databaseFile);
      try {
        const integrity = opened.sqlite.pragma('integrity_check', { simple: true });
        if (integrity !== 'ok') problems.push(`${tag}: integrity_check ${String(integrity)}`);
        const broken = opened.sqlite.pragma('foreign_key_check') as unknown[];
        if (broken.length) problems.push(`${tag}: ${broken.length} broken references`);

        const missing = await checkAcknowledged(opened.db, acks);
        figures.lost += missing.length;
        problems.push(...missing.map((m) => `${tag}: ${m}`));

        // The import commits whole batches: the rows of this run are a multiple of the batch (or all of them),
        // at least as many as its last acknowledged batch, each with its change-log row.
        const importedRows = await opened.db.selectFrom('clients').select('id').where('email', 'like', `info@i%-${tag.toLowerCase()}.com`).execute();
        const n = importedRows.length;
        if (n < writer.importedRows()) problems.push(`${tag}: import acknowledged ${writer.importedRows()} rows, found ${n}`);
        if (n % batchRows !== 0 && n !== importRows) problems.push(`${tag}: ${n} imported rows is not whole batches of ${batchRows}`);
        const unlogged = await opened.db
          .selectFrom('clients')
          .select('clients.id')
          .where((eb) => eb.not(eb.exists(eb.selectFrom('change_log').select('change_log.id').whereRef('change_log.entity_id', '=', 'clients.id').where('change_log.entity', '=', 'client'))))
          .execute();
        if (unlogged.length) problems.push(`${tag}: ${unlogged.length} clients without their change-log row`);

        // Every attachment's document is in the store (it is written before the transaction that names it).
        const attachments = await opened.db.selectFrom('attachments').select(['id', 'sha256']).execute();
        const absent = attachments.filter((a) => !fs.existsSync(path.join(dir, 'attachments', a.sha256.slice(0, 2), a.sha256)));
        if (absent.length) problems.push(`${tag}: ${absent.length} attachments without their document`);

        // Nothing outside a whole transaction: the change log alone rebuilds every synced table.
        if (!long || run % 4 === 3 || figures.kills === kills) {
          const replayFile = path.join(dir, `replay-${run}.sqlite`);
          const replayed = await replayInto(opened.db, replayFile);
          const [expected, actual] = [await syncedTables(opened.db), await syncedTables(replayed.db)];
          await replayed.close();
          for (const table of Object.keys(expected)) {
            if (JSON.stringify(expected[table]) !== JSON.stringify(actual[table])) {
              figures.halfWritten++;
              problems.push(`${tag}: ${table} differs from its change log's replay`);
            }
          }
          for (const suffix of ['', '-wal', '-shm']) fs.rmSync(replayFile + suffix, { force: true });
        }
      } finally {
        await opened.close();
      }
    }

    // A last restart of the app itself on the folder killed so often: it starts, and writes.
    const last = startWriter({ dataDir: dir, databaseFile, tag: 'FINAL', seed, writes: 3, importRows: 0, batchRows });
    expect((await last.exited).code).toBe(0);
    printFigures('crash', { seed, ...figures });
    expect(last.messages.filter((m) => m.kind !== 'ack' && m.kind !== 'ready' && m.kind !== 'done')).toEqual([]);
    expect(last.acks()).toHaveLength(3);

    expect(problems).toEqual([]);
    expect(figures.kills).toBe(kills);
    // A ceiling for a hung writer, not a speed limit: the bounded form takes ~30 s here.
  }, 1_800_000);
});
