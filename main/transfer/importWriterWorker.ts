// The import's writer thread (see importWriter.ts): its own connection to the database file, writing the
// batches the main thread has checked, one transaction each, in the order they arrive.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/open';
import { writeClientBatch } from './clientWrites';
import type { WriterReply, WriterRequest } from './importWriter';

const port = parentPort!;
const database = await openDatabase((workerData as { databaseFile: string }).databaseFile);
// A bulk import dirties thousands of index pages per batch, mostly the same ones again and again (its rows
// land all over the name, email and domain indexes). With SQLite's default every commit was followed by a
// checkpoint copying them all back into the database file: about a quarter of each batch. Every ~40 MB
// copies a page once per several batches; this connection lives only as long as the import.
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
        await database.db.transaction().execute((trx) => writeClientBatch(trx, request.plan));
        reply = { id: request.id, ok: true };
      } catch (error) {
        reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    }
    port.postMessage(reply);
    if (request.kind === 'close') port.close();
  });
});
