import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SyncHttpError } from './errors';

/**
 * Where attachments live, by team and SHA-256 of their bytes. Small on purpose, so a store on an S3-compatible
 * service is one more implementation: `put` may only make a document visible once its bytes matched its hash.
 */
export interface DocumentStore {
  /** Which of these hashes the team already has. */
  has(team: string, hashes: string[]): Promise<Set<string>>;
  /** Streams a body in; refuses it (nothing kept) when longer than `maxBytes` or when its hash differs. */
  put(team: string, sha256: string, body: Readable, maxBytes: number): Promise<{ bytes: number; created: boolean }>;
  get(team: string, sha256: string): Promise<{ body: Readable; bytes: number } | null>;
}

export const sha256Pattern = /^[0-9a-f]{64}$/;

/** Documents in a folder: `<root>/<team>/<first two hex digits>/<sha256>`, written through a temporary file and a rename. */
export class FolderDocumentStore implements DocumentStore {
  constructor(private readonly root: string) {}

  private file(team: string, sha256: string) {
    if (!sha256Pattern.test(sha256) || !/^[0-9A-Za-z-]+$/.test(team)) throw new Error('invalid document key');
    return path.join(this.root, team, sha256.slice(0, 2), sha256);
  }

  async has(team: string, hashes: string[]) {
    const present = new Set<string>();
    await Promise.all(
      hashes.map(async (hash) => {
        if (await fs.promises.stat(this.file(team, hash)).then((s) => s.isFile(), () => false)) present.add(hash);
      }),
    );
    return present;
  }

  async put(team: string, sha256: string, body: Readable, maxBytes: number) {
    const target = this.file(team, sha256);
    const temporary = path.join(this.root, team, 'incoming', randomUUID());
    await fs.promises.mkdir(path.dirname(temporary), { recursive: true });
    const hash = createHash('sha256');
    let bytes = 0;
    const file = await fs.promises.open(temporary, 'wx');
    try {
      try {
        // Not destroyed when we stop early, so the 413 still reaches the client (the caller discards the rest).
        for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          if (bytes > maxBytes) throw new SyncHttpError('too_large', `A document may hold at most ${maxBytes} bytes.`);
          hash.update(chunk);
          await file.write(chunk);
        }
      } finally {
        await file.close();
      }
      const actual = hash.digest('hex');
      if (actual !== sha256) throw new SyncHttpError('hash_mismatch', `The body's SHA-256 is ${actual}, not ${sha256}.`);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const created = !(await fs.promises.stat(target).then(() => true, () => false));
      // Same name, same bytes: replacing an existing copy (a concurrent upload of the same file) changes nothing.
      await fs.promises.rename(temporary, target);
      return { bytes, created };
    } finally {
      await fs.promises.rm(temporary, { force: true });
    }
  }

  async get(team: string, sha256: string) {
    const file = this.file(team, sha256);
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat?.isFile()) return null;
    return { body: fs.createReadStream(file), bytes: stat.size };
  }
}
