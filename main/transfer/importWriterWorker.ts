// The import's writer thread (see importWriter.ts): its own connection to the database file, writing the
// batches the main thread has checked, one transaction each, in the order they arrive.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/open';
import { writeClientBatches } from './clientWrites';
import type { WriterReply, WriterRequest } from './importWriter';

const port = parentPort!;
const database = await openDatabase((workerData as { databaseFile: string }).databaseFile);
// Checkpoints every ~40 MB instead of every 4 MB, as withBulkCheckpoints does on the main connection (see
// there why); this connection lives only as long as the import.
database.sqlite.pragma('wal_autocheckpoint = 10000');
// Until this is said, the main thread may still write what it sent here itself (see startImportWriter).
port.postMessage({ ready: true });

let queue = Promise.resolve();
port.on('message', (request: WriterRequest) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    if (request.kind === 'close') {
      await database.close();
      reply = { id: request.id, ok: true };
    } else {
      try {
        await database.db.transaction().execute((trx) => writeClientBatches(trx, request.plans));
        reply = { id: request.id, ok: true };
      } catch (error) {
        reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    }
    port.postMessage(reply);
    if (request.kind === 'close') port.close();
  });
});
