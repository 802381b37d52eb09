// The import's writer thread (see importWriter.ts): its own connection to the database file, writing the
// batches the main thread has checked, in the order they arrive. Every batch that arrived while a transaction
// was being written goes into the next one, up to transactionRows rows: the transactions grow as large as the
// checks run ahead, and no larger than a save in the window should wait for.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, othersWriteFirst } from '../../db/open';
import { writeClientBatches } from './clientWrites';
import { nextTransaction, type WriterData, type WriterReply, type WriterRequest } from './importWriter';

const port = parentPort!;
const { databaseFile, intent } = workerData as WriterData;
const database = await openDatabase(databaseFile);
// Checkpoints every ~40 MB instead of every 4 MB, as withBulkCheckpoints does on the main connection (see
// there why); this connection lives only as long as the import.
database.sqlite.pragma('wal_autocheckpoint = 10000');
// Until this is said, the main thread writes in place (see startImportWriter).
port.postMessage({ ready: true });

/** Requests that arrived and are not written yet, in order. */
const arrived: WriterRequest[] = [];
/** Why a write failed: every later write is refused, so nothing after a failed batch is ever written. */
let failure: string | null = null;
let busy = false;

port.on('message', (request: WriterRequest) => {
  arrived.push(request);
  if (!busy) {
    busy = true;
    void writeArrived();
  }
});

async function writeArrived(): Promise<void> {
  for (;;) {
    // Messages sent while a transaction was written are delivered on the next turn of the event loop: let them in.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // A save in the window that waits for the write lock goes first (see othersWriteFirst).
    if (arrived[0]?.kind === 'write' && !failure) await othersWriteFirst(intent);
    const writes = nextTransaction(arrived);
    if (writes.length) {
      if (!failure) {
        try {
          await database.db.transaction().execute((trx) => writeClientBatches(trx, writes.flatMap((w) => w.plans)));
        } catch (error) {
          failure = error instanceof Error ? error.message : String(error);
        }
      }
      for (const w of writes) port.postMessage((failure ? { id: w.id, ok: false, message: failure } : { id: w.id, ok: true }) satisfies WriterReply);
      continue;
    }
    const close = arrived.shift();
    if (!close) break;
    // A close comes after every write sent before it.
    await database.close();
    port.postMessage({ id: close.id, ok: true } satisfies WriterReply);
    port.close();
    return;
  }
  busy = false;
}
