import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../contract';
import { maxPendingUploadMb, maxPendingUploads, uploadIdleMinutes, type StagedFile } from '../../contract/transfer';
import { sanitizeFileName } from './fileStore';

interface Entry extends StagedFile {
  path: string;
  /** Files the app wrote (uploads, exports) are deleted when discarded; a file the user picked never is. */
  owned: boolean;
  /** Uploads: bytes announced and bytes received so far. */
  expectedBytes: number | null;
  /** Uploads: when the last chunk (or the announcement) arrived, in ms. */
  lastActivity: number;
}

export interface Staging {
  root: string;
  /** A new file the app will write (an export's output, a report). */
  create(fileName: string, mimeType: string): StagedFile & { path: string };
  /** The export finished writing: record its size. */
  finish(fileId: string): StagedFile;
  /** A file the user picked in the desktop dialog: read in place, never deleted. */
  adopt(filePath: string): StagedFile;
  /** An upload announced: refused (VALIDATION `staging_full`) while too many, or too many bytes, are in progress. */
  beginUpload(fileName: string, sizeBytes: number): StagedFile;
  append(fileId: string, offset: number, bytes: Buffer): { receivedBytes: number; complete: boolean };
  /** A complete file: its path for reading. */
  get(fileId: string): StagedFile & { path: string };
  read(fileId: string, offset: number, length: number): { bytes: Buffer; nextOffset: number | null };
  discard(fileId: string): void;
}

const mimeTypes: Record<string, string> = {
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.txt': 'text/plain',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.zip': 'application/zip',
};
export const mimeTypeOf = (fileName: string) => mimeTypes[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';

// An upload or download that lost its place (a tab reloaded, a second tab used the same file): the user picks the file again.
const interrupted = { reason: 'upload_interrupted' } as const;

/**
 * Files on their way in or out, under the data folder's `transfer/`. The renderer only ever holds opaque
 * ids, so it can neither read nor write a path of its choosing. Leftovers of an earlier run (a crash in the
 * middle of an export) are removed at start.
 */
export interface StagingLimits {
  uploads: number;
  bytes: number;
  idleMs: number;
}

export const defaultStagingLimits: StagingLimits = { uploads: maxPendingUploads, bytes: maxPendingUploadMb * 1024 * 1024, idleMs: uploadIdleMinutes * 60_000 };

export function createStaging(root: string, newId: () => string, now: () => Date = () => new Date(), limits: StagingLimits = defaultStagingLimits): Staging {
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const entries = new Map<string, Entry>();

  const entry = (fileId: string) => {
    const found = entries.get(fileId);
    if (!found) throw new AppError('NOT_FOUND', 'This file is no longer available; choose it again.', { reason: 'file_not_found' });
    return found;
  };
  const publicView = (e: Entry): StagedFile => ({ fileId: e.fileId, fileName: e.fileName, sizeBytes: e.sizeBytes, mimeType: e.mimeType });
  const ownPath = (fileId: string, fileName: string) => path.join(root, `${fileId}${path.extname(fileName).toLowerCase()}`);
  const inProgress = (e: Entry) => e.expectedBytes !== null && e.sizeBytes < e.expectedBytes;
  const discard = (e: Entry) => {
    entries.delete(e.fileId);
    if (e.owned) fs.rmSync(e.path, { force: true });
  };

  /**
   * An announcement reserves room it may never fill: without a cap, fifty uploads announcing 512 MiB each were
   * all accepted. Uploads in progress are capped by count and by bytes announced; one that went quiet (a tab
   * closed mid-upload) gives its room to the new one rather than blocking uploads until the next start.
   */
  const makeRoom = (sizeBytes: number) => {
    const at = now().getTime();
    const pending = () => [...entries.values()].filter(inProgress);
    const fits = () => {
      const list = pending();
      return list.length + 1 <= limits.uploads && list.reduce((sum, e) => sum + (e.expectedBytes ?? 0), 0) + sizeBytes <= limits.bytes;
    };
    for (const idle of pending().filter((e) => at - e.lastActivity >= limits.idleMs).sort((a, b) => a.lastActivity - b.lastActivity)) {
      if (fits()) break;
      discard(idle);
    }
    if (!fits()) {
      const limitMb = Math.floor(limits.bytes / 1024 / 1024);
      throw new AppError('VALIDATION', `Too many uploads in progress (at most ${limits.uploads} files and ${limitMb} MB in all).`, {
        fields: [{ path: 'sizeBytes', message: 'staging_full', params: { max: limits.uploads, limitMb } }],
      });
    }
  };

  return {
    root,
    create(fileName, mimeType) {
      const fileId = newId();
      const clean = sanitizeFileName(fileName);
      const e: Entry = { fileId, fileName: clean, sizeBytes: 0, mimeType, path: ownPath(fileId, clean), owned: true, expectedBytes: null, lastActivity: now().getTime() };
      entries.set(fileId, e);
      return { ...publicView(e), path: e.path };
    },
    finish(fileId) {
      const e = entry(fileId);
      e.sizeBytes = fs.statSync(e.path).size;
      return publicView(e);
    },
    adopt(filePath) {
      const stat = fs.statSync(filePath);
      const fileName = path.basename(filePath);
      const e: Entry = { fileId: newId(), fileName, sizeBytes: stat.size, mimeType: mimeTypeOf(fileName), path: filePath, owned: false, expectedBytes: null, lastActivity: now().getTime() };
      entries.set(e.fileId, e);
      return publicView(e);
    },
    beginUpload(fileName, sizeBytes) {
      makeRoom(sizeBytes);
      const fileId = newId();
      const clean = sanitizeFileName(fileName);
      const e: Entry = { fileId, fileName: clean, sizeBytes: 0, mimeType: mimeTypeOf(clean), path: ownPath(fileId, clean), owned: true, expectedBytes: sizeBytes, lastActivity: now().getTime() };
      fs.writeFileSync(e.path, new Uint8Array(0));
      entries.set(fileId, e);
      return publicView(e);
    },
    append(fileId, offset, bytes) {
      const e = entry(fileId);
      if (e.expectedBytes === null) throw new AppError('CONFLICT', 'This file is not being uploaded.', interrupted);
      // Chunks arrive in order; a repeated or skipped chunk (a retried request) must not corrupt the file.
      if (offset !== e.sizeBytes) throw new AppError('CONFLICT', `Expected the upload to continue at byte ${e.sizeBytes}.`, interrupted);
      if (e.sizeBytes + bytes.length > e.expectedBytes) throw new AppError('VALIDATION', 'The upload is larger than announced.', { fields: [{ path: 'chunkBase64', message: 'file_too_large' }] });
      fs.appendFileSync(e.path, bytes);
      e.sizeBytes += bytes.length;
      e.lastActivity = now().getTime();
      return { receivedBytes: e.sizeBytes, complete: e.sizeBytes === e.expectedBytes };
    },
    get(fileId) {
      const e = entry(fileId);
      if (e.expectedBytes !== null && e.sizeBytes !== e.expectedBytes) throw new AppError('CONFLICT', 'The file has not finished uploading.', interrupted);
      return { ...publicView(e), path: e.path };
    },
    read(fileId, offset, length) {
      const e = entry(fileId);
      // Half an upload is not a file: reading it back would hand out bytes that may still change.
      if (e.expectedBytes !== null && e.sizeBytes !== e.expectedBytes) throw new AppError('CONFLICT', 'The file has not finished uploading.', interrupted);
      const size = fs.statSync(e.path).size;
      // Past the end is a client that lost its place (a retried request), not an empty answer to swallow.
      if (offset > size) throw new AppError('CONFLICT', `The file has ${size} bytes; it cannot be read from byte ${offset}.`, interrupted);
      const bytes = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      if (bytes.length) {
        const fd = fs.openSync(e.path, 'r');
        try {
          fs.readSync(fd, bytes, 0, bytes.length, offset);
        } finally {
          fs.closeSync(fd);
        }
      }
      const next = offset + bytes.length;
      return { bytes, nextOffset: next < size ? next : null };
    },
    discard(fileId) {
      const e = entries.get(fileId);
      if (e) discard(e);
    },
  };
}
