import fs from 'node:fs';
import { Readable } from 'node:stream';
import yazl from 'yazl';

export interface CraftedEntry {
  name: string;
  /** The bytes, or a stream of them (made as the zip is written, so a gigabyte never sits in memory). */
  data: Buffer | (() => Readable);
  compress?: boolean;
}

/** Writes a zip of the given entries to `file`. */
export async function writeZip(file: string, entries: CraftedEntry[]): Promise<void> {
  const zip = new yazl.ZipFile();
  const written = new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('close', resolve).on('error', reject);
    zip.outputStream.pipe(out);
  });
  for (const entry of entries) {
    const options = { compress: entry.compress ?? true, mtime: new Date('2026-01-01T00:00:00Z') };
    if (Buffer.isBuffer(entry.data)) zip.addBuffer(entry.data, entry.name, options);
    else zip.addReadStream(entry.data(), entry.name, options);
  }
  zip.end();
  await written;
}

/** `total` bytes made of `piece` repeated, as a stream. */
export function repeated(piece: Buffer, total: number, chunkBytes = 1024 * 1024): () => Readable {
  return () => {
    const chunk = Buffer.alloc(Math.min(chunkBytes, total), piece);
    let left = total;
    return new Readable({
      read() {
        if (left <= 0) return void this.push(null);
        const n = Math.min(left, chunk.length);
        left -= n;
        this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      },
    });
  };
}

/** Lower-case letters from a xorshift generator: they deflate about 1.6 times, so no ratio check flags them. */
function letters(state: { x: number }, n: number): Buffer {
  const chunk = Buffer.allocUnsafe(n);
  let x = state.x;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    chunk[i] = 0x61 + ((x >>> 0) % 26);
  }
  state.x = x;
  return chunk;
}

/** `total` bytes of letters (no newline), as a stream. */
export function noisy(total: number, chunkBytes = 1024 * 1024, seed = 0x2545f491): () => Readable {
  return () => {
    let left = total;
    const state = { x: seed };
    return new Readable({
      read() {
        if (left <= 0) return void this.push(null);
        const n = Math.min(left, chunkBytes);
        left -= n;
        this.push(letters(state, n));
      },
    });
  };
}

/** `total` bytes of letters, at once. */
export const noiseBytes = (total: number, seed = 0x2545f491): Buffer => letters({ x: seed }, total);

const centralHeader = 0x02014b50;
const endOfCentralDirectory = 0x06054b50;

/** Rewrites the uncompressed size the central directory declares for one entry (a zip that lies about its size). */
export function patchDeclaredSize(file: string, entryName: string, size: number): void {
  const bytes = fs.readFileSync(file);
  for (let at = bytes.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1')); at >= 0; at = bytes.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'), at - 1)) {
    if (bytes.readUInt32LE(at) !== centralHeader) continue;
    const nameLength = bytes.readUInt16LE(at + 28);
    if (bytes.toString('utf8', at + 46, at + 46 + nameLength) !== entryName) continue;
    bytes.writeUInt32LE(size, at + 24);
    fs.writeFileSync(file, bytes);
    return;
  }
  throw new Error(`No central directory entry named ${entryName}`);
}

/** Rewrites the entry count of the end-of-central-directory record (a zip that claims many entries). */
export function patchEntryCount(file: string, count: number): void {
  const bytes = fs.readFileSync(file);
  const at = bytes.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  if (at < 0 || bytes.readUInt32LE(at) !== endOfCentralDirectory) throw new Error('No end of central directory record');
  bytes.writeUInt16LE(Math.min(count, 0xfffe), at + 8);
  bytes.writeUInt16LE(Math.min(count, 0xfffe), at + 10);
  fs.writeFileSync(file, bytes);
}
