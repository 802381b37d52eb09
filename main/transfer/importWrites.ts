import type { AppError } from '../../contract';
import type { ClientWritePlan } from './clientWrites';
import type { ImportWriter } from './importWriter';
import type { BatchOutcome, RowResult } from './importTypes';

/** How a run hands its checked batches to the writer (the part of ImportPacing that says it). */
export interface WritePacing {
  /** Checked batches are gathered until they hold this many rows, then written together; unset: each batch alone. */
  writeRows?: number;
  /**
   * Hands gathered batches to the writer while it writes the ones before (instead of one group at a time), and
   * at once, however few, when it has nothing left to write: the writer thread takes every group that arrived
   * meanwhile into its next transaction, so it never waits for the checks, and the checks wait for it only when
   * four groups are on their way. Unset: one group at a time, so where transactions split depends on the code
   * alone (tests).
   */
  writeAsChecked?: boolean;
}

type Sent = { done: Promise<void>; committed: boolean; results: RowResult[]; line: number | undefined };

/**
 * The checked batches of an import on their way to its writer. Their rows are counted (`count`) once they are
 * committed, in file order; a write that fails stops the run with `stopped(line)` of its first row, after
 * everything before it was counted. With no writer (a dry run, or a target whose batches write as they are
 * checked) rows count as soon as they are checked.
 */
export function importWrites(writer: ImportWriter | null, pacing: WritePacing, count: (results: RowResult[]) => void, stopped: (line: number | undefined) => AppError) {
  const sent: Sent[] = [];
  let gathered: { plans: ClientWritePlan[]; results: RowResult[]; line: number | undefined } | null = null;
  const limit = pacing.writeRows ?? 0;

  /** Counts the writes committed so far, in order; waits for the oldest while more than `keep` rows are on their way. */
  const settle = async (keep = Infinity) => {
    while (sent.length && (sent[0]!.committed || sent.reduce((n, s) => n + s.results.length, 0) > keep)) {
      const oldest = sent.shift()!;
      try {
        await oldest.done;
      } catch {
        throw stopped(oldest.line);
      }
      count(oldest.results);
    }
  };
  const send = () => {
    if (!gathered || !writer) return;
    const write: Sent = { done: writer.write(...gathered.plans), committed: false, results: gathered.results, line: gathered.line };
    write.done.then(
      () => (write.committed = true),
      () => (write.committed = true),
    );
    sent.push(write);
    gathered = null;
  };

  return {
    /** A checked batch (`line`: its first row's). */
    async add(outcome: BatchOutcome, line: number | undefined): Promise<void> {
      if (!writer || !outcome.plan) return count(outcome.results);
      // A group never grows past writeRows rows (the writer's transactions do not either): what is gathered goes first.
      if (pacing.writeAsChecked && gathered && gathered.results.length + outcome.results.length > limit) send();
      gathered ??= { plans: [], results: [], line };
      gathered.plans.push(outcome.plan);
      gathered.results.push(...outcome.results);
      if (pacing.writeAsChecked) {
        if (gathered.results.length >= limit || sent.every((s) => s.committed)) send();
        await settle(4 * limit);
      } else if (gathered.results.length >= limit) {
        // One group at a time: the one before is committed first.
        await settle(0);
        send();
      }
    },
    /** Sends what is gathered and waits until every batch is committed (or one failed). */
    async finish(): Promise<void> {
      await settle(0);
      send();
      await settle(0);
    },
  };
}
