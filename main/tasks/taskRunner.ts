import { AppError } from '../../contract';
import { toApiError } from '../errors';
import type { Task, TaskKind, TaskResult } from '../../contract/transfer';

/** What a running task may do: report progress, and give way (throwing when the user cancelled). */
export interface TaskControl {
  signal: AbortSignal;
  report(done: number, total?: number | null, phase?: string): void;
  /**
   * Lets other requests (progress polls, the UI's own reads) run between batches: better-sqlite3 is
   * synchronous, so a loop that never yields would freeze the whole app until it finished.
   */
  yield(): Promise<void>;
}

export class TaskCancelled extends Error {
  constructor() {
    super('Cancelled by the user.');
  }
}

export interface TaskRunner {
  start(kind: TaskKind, run: (control: TaskControl) => Promise<TaskResult>): Task;
  get(id: string): Task;
  cancel(id: string): Task;
  /** Resolves when the task has ended (tests and benchmarks). */
  settled(id: string): Promise<Task>;
  /** The kinds of the tasks still running (a restore waits for none to be). */
  running(): Task['kind'][];
}

// Finished tasks stay readable for a while, so a renderer that polls late still learns the outcome.
const keepFinished = 50;

export function createTaskRunner(newId: () => string, logError: (error: unknown) => void = console.error): TaskRunner {
  const tasks = new Map<string, { task: Task; controller: AbortController; ended: Promise<void> }>();

  const entry = (id: string) => {
    const found = tasks.get(id);
    if (!found) throw new AppError('NOT_FOUND', 'This task is not known (it may have ended long ago).', { reason: 'task_not_found' });
    return found;
  };
  const snapshot = (task: Task): Task => ({ ...task });

  function forgetOld() {
    const finished = [...tasks.values()].filter((e) => e.task.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - keepFinished))) tasks.delete(old.task.id);
  }

  return {
    start(kind, run) {
      const controller = new AbortController();
      const task: Task = { id: newId(), kind, state: 'running', phase: 'start', done: 0, total: null, result: null, error: null };
      const control: TaskControl = {
        signal: controller.signal,
        report(done, total, phase) {
          task.done = done;
          if (total !== undefined) task.total = total;
          if (phase !== undefined) task.phase = phase;
        },
        async yield() {
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (controller.signal.aborted) throw new TaskCancelled();
        },
      };
      const ended = (async () => {
        // Started on the next turn: the caller gets the task id before any work blocks the loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
        try {
          if (controller.signal.aborted) throw new TaskCancelled();
          const result = await run(control);
          // A task may stop early on cancel and still report what it did (an import's committed batches).
          task.result = result;
          task.state = controller.signal.aborted ? 'cancelled' : 'done';
          task.phase = 'done';
        } catch (error) {
          if (error instanceof TaskCancelled || controller.signal.aborted) {
            task.state = 'cancelled';
          } else {
            task.state = 'failed';
            task.error = toApiError(error, logError);
          }
        }
      })();
      tasks.set(task.id, { task, controller, ended });
      forgetOld();
      return snapshot(task);
    },
    get: (id) => snapshot(entry(id).task),
    cancel(id) {
      const found = entry(id);
      if (found.task.state === 'running') found.controller.abort();
      return snapshot(found.task);
    },
    running: () => [...tasks.values()].filter((e) => e.task.state === 'running').map((e) => e.task.kind),
    async settled(id) {
      const found = entry(id);
      await found.ended;
      return snapshot(found.task);
    },
  };
}
