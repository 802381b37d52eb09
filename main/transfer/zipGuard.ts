import { Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';

// Zip files come from outside (a backup someone sent, an .xlsx from any tool) and a few hundred kilobytes of
// deflate can stand for gigabytes: nothing in one is inflated without a ceiling. The central directory's
// declared sizes are checked first (entry count, size per entry and in total, compression ratio); then
// every byte actually inflated is counted again, so an entry that declares less than it holds is stopped
// at its declared size (yauzl's validateEntrySizes) and at the limit (the count below), whichever comes first.

export type ZipProblem =
  /** More entries than the limit. */
  | 'too_many_entries'
  /** An entry, or all of them together, larger than the limit once inflated. */
  | 'too_large'
  /** An entry that inflates to far more than its compressed size, as zip bombs do. */
  | 'suspicious_ratio'
  /** A line of a JSON Lines entry longer than the limit. */
  | 'line_too_long'
  /** Not a zip file at all. */
  | 'not_zip'
  /** A zip whose directory or data cannot be read, or does not match what the directory says. */
  | 'damaged';

export class ZipLimitError extends Error {
  constructor(
    readonly problem: ZipProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ZipLimitError';
  }
}

export interface ZipLimits {
  maxEntries: number;
  /** Inflated bytes of any one entry. */
  maxEntryBytes: number;
  /** Inflated bytes of all entries together (as declared; each declaration is then enforced while reading). */
  maxTotalBytes: number;
  /** Inflated size ÷ compressed size, for entries of more than `ratioFloorBytes` (tiny entries have odd ratios). */
  maxRatio: number;
  ratioFloorBytes: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

export async function openZip(source: string | Buffer, limits: ZipLimits): Promise<yauzl.ZipFile> {
  let zip: yauzl.ZipFile;
  try {
    const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true, strictFileNames: false };
    zip = typeof source === 'string' ? await yauzl.openPromise(source, options) : await yauzl.fromBufferPromise(source, options);
  } catch (error) {
    throw new ZipLimitError('not_zip', `Not a zip file: ${(error as Error).message}`);
  }
  // The end record's count, before a single directory entry is read.
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ZipLimitError('too_many_entries', `The zip holds ${zip.entryCount} entries; at most ${limits.maxEntries} are read.`);
  }
  return zip;
}

/**
 * Every entry of the central directory, in order, after its declared sizes were checked against the limits.
 * `maxEntryBytes` may be lowered per entry by `limitFor` (a manifest is small, a document may be large).
 */
export async function* zipEntries(zip: yauzl.ZipFile, limits: ZipLimits, limitFor: (entry: yauzl.Entry) => number = () => limits.maxEntryBytes): AsyncGenerator<yauzl.Entry> {
  let total = 0;
  let count = 0;
  const next = () =>
    new Promise<yauzl.Entry | null>((resolve, reject) => {
      const cleanup = () => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      };
      const onEntry = (entry: yauzl.Entry) => {
        cleanup();
        resolve(entry);
      };
      const onEnd = () => {
        cleanup();
        resolve(null);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(new ZipLimitError('damaged', `The zip's directory cannot be read: ${error.message}`));
      };
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
  for (let entry = await next(); entry; entry = await next()) {
    if (++count > limits.maxEntries) throw new ZipLimitError('too_many_entries', `The zip holds more than ${limits.maxEntries} entries.`);
    checkDeclared(entry, limitFor(entry), limits);
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) throw new ZipLimitError('too_large', `The zip inflates to more than ${mb(limits.maxTotalBytes)}.`);
    yield entry;
  }
}

function checkDeclared(entry: yauzl.Entry, maxBytes: number, limits: ZipLimits) {
  if (entry.uncompressedSize > maxBytes) throw new ZipLimitError('too_large', `${entry.fileName} inflates to ${mb(entry.uncompressedSize)}; at most ${mb(maxBytes)} is read.`);
  if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize > entry.compressedSize * limits.maxRatio) {
    throw new ZipLimitError('suspicious_ratio', `${entry.fileName} inflates ${Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1))} times its size; at most ${limits.maxRatio} is accepted.`);
  }
}

/** A stream of the entry's inflated bytes that fails once more than `maxBytes` came out. */
export async function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry, maxBytes: number): Promise<Readable> {
  let source: Readable;
  try {
    source = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw new ZipLimitError('damaged', `${entry.fileName} cannot be read: ${(error as Error).message}`);
  }
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new ZipLimitError('too_large', `${entry.fileName} inflates to more than ${mb(maxBytes)}.`));
      else callback(null, chunk);
    },
  });
  // Errors of the inflater (bad data, more or fewer bytes than declared) reach the reader as "damaged".
  source.on('error', (error) => counted.destroy(error instanceof ZipLimitError ? error : new ZipLimitError('damaged', `${entry.fileName} is damaged: ${error.message}`)));
  counted.on('close', () => source.destroy());
  return source.pipe(counted);
}

/** The whole entry, at most `maxBytes` of it (a manifest, a worksheet's metadata). */
export async function entryBuffer(zip: yauzl.ZipFile, entry: yauzl.Entry, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await entryStream(zip, entry, maxBytes)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads the entry to its end, counting its bytes against the limits, and hands each chunk to `onChunk`. */
export async function drainEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, maxBytes: number, onChunk: (chunk: Buffer) => void = () => {}): Promise<number> {
  let bytes = 0;
  for await (const chunk of await entryStream(zip, entry, maxBytes)) {
    bytes += (chunk as Buffer).length;
    onChunk(chunk as Buffer);
  }
  return bytes;
}

/**
 * The lines of a UTF-8 stream (LF or CRLF), none longer than `maxLineBytes`: a line is held in memory only up
 * to the limit, so one endless line costs `maxLineBytes`, not the size of the entry. Node's readline has no
 * such limit and buffers a line whole, however long.
 */
export async function* boundedLines(stream: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let length = 0;
  const take = () => {
    const line = Buffer.concat(parts, length);
    parts = [];
    length = 0;
    const end = line.length && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
    return line.toString('utf8', 0, end);
  };
  for await (const raw of stream) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      if (length + newline - start > maxLineBytes) throw new ZipLimitError('line_too_long', `A line is longer than ${mb(maxLineBytes)}.`);
      parts.push(chunk.subarray(start, newline));
      length += newline - start;
      yield take();
      start = newline + 1;
    }
    if (length + chunk.length - start > maxLineBytes) throw new ZipLimitError('line_too_long', `A line is longer than ${mb(maxLineBytes)}.`);
    if (start < chunk.length) {
      // Copied: the rest of a chunk is kept past this turn, and the chunk's own memory may be reused.
      parts.push(Buffer.from(chunk.subarray(start)));
      length += chunk.length - start;
    }
  }
  if (length) yield take();
}
