import crypto from 'node:crypto';
import type yauzl from 'yauzl';
import { AppError, type FieldErrorCode } from '../../contract';
import type { FileStore } from '../files/fileStore';
import type { TaskControl } from '../tasks/taskRunner';
import { boundedLines, drainEntry, entryBuffer, entryStream, openZip, zipEntries, ZipLimitError, type ZipLimits } from './zipGuard';

// Reading a dossier zip for a restore, in two passes. The first reads every entry the restore will use —
// the manifest, each line of clients.jsonl and candidates.jsonl (backups made before candidates have none),
// each document (hashed) — against the limits below, and writes
// nothing: a file that breaks a limit, or is damaged, is refused before the first record or document is
// written. The second pass hands the same entries to the restore.

export interface DossierLimits extends ZipLimits {
  maxManifestBytes: number;
  /** The whole of clients.jsonl, and of candidates.jsonl (a backup of 100 000 clients with their history is about 1.5 GB). */
  maxLinesBytes: number;
  /** One client, or one candidate, with everything that belongs to it. */
  maxLineBytes: number;
  /** One document (the largest attachment Settings allows is 1 024 MB). */
  maxDocumentBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const dossierLimits: DossierLimits = {
  // One entry per distinct document, plus the manifest and clients.jsonl.
  maxEntries: 250_000,
  maxEntryBytes: 8 * GiB,
  maxTotalBytes: 64 * GiB,
  // Exported JSON Lines deflate about 6–10 times and documents are stored as they are; deflate can reach
  // about 1 000, which only data built for it does.
  maxRatio: 100,
  ratioFloorBytes: 1 * MiB,
  maxManifestBytes: 16 * MiB,
  maxLinesBytes: 8 * GiB,
  maxLineBytes: 64 * MiB,
  maxDocumentBytes: 1 * GiB,
};

const manifestName = 'manifest.json';
const linesName = 'clients.jsonl';
const candidatesName = 'candidates.jsonl';
const linesNames = new Set([linesName, candidatesName]);
const documentPattern = /^documents\/([0-9a-f]{64})$/;

const fieldCodes: Record<ZipLimitError['problem'], FieldErrorCode> = {
  too_many_entries: 'backup_too_many_files',
  too_large: 'backup_too_large',
  suspicious_ratio: 'backup_suspicious',
  line_too_long: 'backup_record_too_large',
  damaged: 'backup_damaged',
  not_zip: 'not_a_backup',
};

export const notABackup = () => new AppError('VALIDATION', 'This file is not a Clients backup (.zip made by "Export dossier").', { fields: [{ path: 'fileId', message: 'not_a_backup' }] });

/** A limit or damage found while reading, as the VALIDATION answer the user sees (nothing was written). */
export function refusal(error: unknown): unknown {
  if (!(error instanceof ZipLimitError)) return error;
  if (error.problem === 'not_zip') return notABackup();
  return new AppError('VALIDATION', `This backup cannot be restored: ${error.message} Nothing was changed.`, { fields: [{ path: 'fileId', message: fieldCodes[error.problem] }] });
}

function limitFor(limits: DossierLimits) {
  return (entry: yauzl.Entry) => {
    if (entry.fileName === manifestName) return limits.maxManifestBytes;
    if (linesNames.has(entry.fileName)) return limits.maxLinesBytes;
    if (entry.fileName.startsWith('documents/')) return limits.maxDocumentBytes;
    // Anything else is never inflated; its declared size still counts toward the total.
    return limits.maxEntryBytes;
  };
}

export interface CheckedBackup {
  manifest: unknown;
  /** Documents whose bytes match their name and that this database's store does not have yet. */
  documents: Set<string>;
  /** Documents in the file that the restore can use: new ones whose bytes match their name, and those already here. */
  verifiedDocuments: number;
  lines: number;
  /** Lines of candidates.jsonl (0 when the backup has none). */
  candidateLines: number;
}

/** The first pass: every entry the restore will read, read once against the limits. Writes nothing. */
export async function checkBackup(file: string, limits: DossierLimits, files: Pick<FileStore, 'has'>, control: TaskControl): Promise<CheckedBackup> {
  const zip = await openZip(file, limits);
  try {
    let manifest: unknown = undefined;
    let lines = -1;
    let candidateLines = -1;
    const documents = new Set<string>();
    let verifiedDocuments = 0;
    let checked = 0;
    control.report(0, zip.entryCount, 'checking');
    for await (const entry of zipEntries(zip, limits, limitFor(limits))) {
      if (entry.fileName === manifestName) {
        if (manifest !== undefined) throw notABackup();
        try {
          manifest = JSON.parse((await entryBuffer(zip, entry, limits.maxManifestBytes)).toString('utf8'));
        } catch (error) {
          if (error instanceof ZipLimitError) throw error;
          throw notABackup();
        }
      } else if (linesNames.has(entry.fileName)) {
        const seen = entry.fileName === linesName ? lines : candidateLines;
        if (seen >= 0) throw notABackup();
        let count = 0;
        for await (const line of boundedLines(await entryStream(zip, entry, limits.maxLinesBytes), limits.maxLineBytes)) {
          if (line.trim()) count++;
          if (count % 1000 === 0) await control.yield();
        }
        if (entry.fileName === linesName) lines = count;
        else candidateLines = count;
      } else {
        const sha = documentPattern.exec(entry.fileName)?.[1];
        if (sha && files.has(sha)) verifiedDocuments++;
        else if (sha && !documents.has(sha)) {
          const hash = crypto.createHash('sha256');
          await drainEntry(zip, entry, limits.maxDocumentBytes, (chunk) => hash.update(chunk));
          // A document whose bytes do not match its name is left out, as the restore always did.
          if (hash.digest('hex') === sha) {
            verifiedDocuments++;
            documents.add(sha);
          }
        }
      }
      control.report(++checked, zip.entryCount, 'checking');
      if (checked % 20 === 0) await control.yield();
    }
    if (manifest === undefined || lines < 0) throw notABackup();
    return { manifest, documents, verifiedDocuments, lines, candidateLines: Math.max(candidateLines, 0) };
  } finally {
    zip.close();
  }
}

/** The second pass: the checked documents into the store, then the lines of clients.jsonl and candidates.jsonl, one by one. */
export async function readBackup(file: string, limits: DossierLimits) {
  const zip = await openZip(file, limits);
  let linesEntry: yauzl.Entry | null = null;
  let candidatesEntry: yauzl.Entry | null = null;
  return {
    /** Stores each document of `wanted`; returns how many were stored. */
    async storeDocuments(wanted: Set<string>, files: FileStore, onStored: (count: number) => Promise<void>): Promise<number> {
      let stored = 0;
      for await (const entry of zipEntries(zip, limits, limitFor(limits))) {
        if (entry.fileName === linesName) linesEntry ??= entry;
        if (entry.fileName === candidatesName) candidatesEntry ??= entry;
        const sha = documentPattern.exec(entry.fileName)?.[1];
        if (!sha || !wanted.has(sha) || files.has(sha)) continue;
        await files.putStream(await entryStream(zip, entry, limits.maxDocumentBytes), limits.maxDocumentBytes);
        await onStored(++stored);
      }
      return stored;
    },
    /** Call after storeDocuments. */
    async *lines(): AsyncGenerator<string> {
      if (!linesEntry) throw notABackup();
      yield* boundedLines(await entryStream(zip, linesEntry, limits.maxLinesBytes), limits.maxLineBytes);
    },
    /** Call after storeDocuments; a backup made before candidates existed has none. */
    async *candidateLines(): AsyncGenerator<string> {
      if (candidatesEntry) yield* boundedLines(await entryStream(zip, candidatesEntry, limits.maxLinesBytes), limits.maxLineBytes);
    },
    close: () => zip.close(),
  };
}
