import { describe, expect, it } from 'vitest';
import { AppError } from '../../contract';
import type { ClientWritePlan } from '../../main/transfer/clientWrites';
import { nextTransaction, type ImportWriter, type WriterRequest } from '../../main/transfer/importWriter';
import { importWrites } from '../../main/transfer/importWrites';
import type { BatchOutcome, RowResult } from '../../main/transfer/importTypes';

// How an import hands its checked batches to its writer, with a writer whose commits this test settles by hand:
// what is sent when, what is counted when, and where a failure stops the run. Nothing here depends on time.

/** A writer that records what it is sent and commits (or fails) each write when told to. */
function manualWriter() {
  const writes: { lines: number[]; commit: () => void; fail: () => void }[] = [];
  const writer: ImportWriter = {
    write(...plans: ClientWritePlan[]) {
      return new Promise<void>((resolve, reject) => {
        writes.push({ lines: plans.flatMap((p) => p.creates.map((c) => c.line)), commit: resolve, fail: () => reject(new Error('disk full')) });
      });
    },
    ready: Promise.resolve(true),
    close: async () => {},
  };
  return { writer, writes };
}

/** A checked batch of `rows` new clients from line `from` on. */
function batch(from: number, rows: number): BatchOutcome {
  const lines = Array.from({ length: rows }, (_, i) => from + i);
  const results = lines.map((line) => ({ line, outcome: 'create' }) as RowResult);
  const plan = { creates: lines.map((line) => ({ line })), updates: [], by: {} } as unknown as ClientWritePlan;
  return { results, plan };
}

/** Lets every promise that can settle do so. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

function run(pacing: { writeRows: number; writeAsChecked?: boolean }) {
  const { writer, writes } = manualWriter();
  const counted: number[] = [];
  const queue = importWrites(writer, pacing, (results) => counted.push(...results.map((r) => r.line)), (line) => new AppError('INTERNAL', `stopped at ${line}`));
  return { queue, writes, counted };
}

describe('import writes', () => {
  it('one group at a time: gathers writeRows rows, then waits for the group before to commit', async () => {
    const { queue, writes, counted } = run({ writeRows: 4 });
    await queue.add(batch(2, 2), 2);
    expect(writes).toHaveLength(0);
    await queue.add(batch(4, 2), 4);
    expect(writes.map((w) => w.lines)).toEqual([[2, 3, 4, 5]]);
    await queue.add(batch(6, 2), 6);
    // The next group waits for the first to commit before it is sent.
    const adding = queue.add(batch(8, 2), 8);
    await drain();
    expect(writes).toHaveLength(1);
    writes[0]!.commit();
    await adding;
    expect(counted).toEqual([2, 3, 4, 5]);
    expect(writes.map((w) => w.lines)).toEqual([[2, 3, 4, 5], [6, 7, 8, 9]]);
    const finishing = queue.finish();
    writes[1]!.commit();
    await finishing;
    expect(counted).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('as checked: sends at once to an idle writer, gathers while it writes, counts in file order', async () => {
    const { queue, writes, counted } = run({ writeRows: 4, writeAsChecked: true });
    await queue.add(batch(2, 1), 2);
    // The writer had nothing to do: the first batch goes at once, however small.
    expect(writes.map((w) => w.lines)).toEqual([[2]]);
    await queue.add(batch(3, 2), 3);
    await queue.add(batch(5, 2), 5);
    // Busy writer: batches gather until they hold writeRows rows, then go without waiting for it.
    expect(writes.map((w) => w.lines)).toEqual([[2], [3, 4, 5, 6]]);
    writes[1]!.commit();
    await drain();
    await queue.add(batch(7, 1), 7);
    // The later write committed first, but nothing counts before the earlier one does.
    expect(counted).toEqual([]);
    writes[0]!.commit();
    await drain();
    await queue.add(batch(8, 1), 8);
    expect(counted).toEqual([2, 3, 4, 5, 6]);
    const finishing = queue.finish();
    await drain();
    expect(writes.map((w) => w.lines)).toEqual([[2], [3, 4, 5, 6], [7, 8]]);
    writes[2]!.commit();
    await finishing;
    expect(counted).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('as checked: a group never grows past writeRows rows; a batch bigger than that goes alone', async () => {
    const { queue, writes } = run({ writeRows: 4, writeAsChecked: true });
    await queue.add(batch(2, 1), 2);
    await queue.add(batch(3, 3), 3);
    // Three rows gathered while the first write is on its way; two more would make five: the three go first.
    await queue.add(batch(6, 2), 6);
    await queue.add(batch(8, 6), 8);
    expect(writes.map((w) => w.lines)).toEqual([[2], [3, 4, 5], [6, 7], [8, 9, 10, 11, 12, 13]]);
  });

  it('as checked: the checks wait for the writer only when four groups are on their way', async () => {
    const { queue, writes } = run({ writeRows: 2, writeAsChecked: true });
    for (let line = 2; line < 10; line += 2) await queue.add(batch(line, 2), line);
    // Four groups on their way and none committed: the checks went on without waiting.
    expect(writes).toHaveLength(4);
    // A fifth is sent, then the checks wait for the oldest to commit.
    let added = false;
    const adding = queue.add(batch(10, 2), 10).then(() => (added = true));
    await drain();
    expect(writes).toHaveLength(5);
    expect(added).toBe(false);
    writes[0]!.commit();
    await adding;
    expect(added).toBe(true);
  });

  it('a failed write stops the run at its first line, after counting every write before it', async () => {
    const { queue, writes, counted } = run({ writeRows: 2, writeAsChecked: true });
    await queue.add(batch(2, 2), 2);
    await queue.add(batch(4, 2), 4);
    await queue.add(batch(6, 2), 6);
    writes[0]!.commit();
    writes[1]!.fail();
    writes[2]!.fail();
    await expect(queue.finish()).rejects.toThrow('stopped at 4');
    expect(counted).toEqual([2, 3]);
  });

  it("the writer's transaction takes the writes next in line, whole, up to its rows (a bigger one alone), never past a close", () => {
    const write = (id: number, rows: number): WriterRequest => ({ id, kind: 'write', plans: [batch(2, rows).plan!] });
    const queue: WriterRequest[] = [write(1, 2), write(2, 2), write(3, 1), write(4, 6), write(5, 1), { id: 6, kind: 'close' }];
    const ids = () => nextTransaction(queue, 5).map((w) => w.id);
    expect(ids()).toEqual([1, 2, 3]);
    expect(ids()).toEqual([4]);
    expect(ids()).toEqual([5]);
    expect(ids()).toEqual([]);
    expect(queue.map((r) => r.id)).toEqual([6]);
  });

  it('with no writer (a dry run), rows count as soon as they are checked', async () => {
    const counted: number[] = [];
    const queue = importWrites(null, { writeRows: 100, writeAsChecked: true }, (results) => counted.push(...results.map((r) => r.line)), () => new AppError('INTERNAL', 'never'));
    await queue.add({ ...batch(2, 3), plan: null }, 2);
    expect(counted).toEqual([2, 3, 4]);
  });
});
