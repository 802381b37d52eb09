import { AppError, type ApiError } from '../contract';

/** Where the details of an unexpected failure go: the log, never the renderer. */
export type LogError = (error: unknown) => void;

function sqliteCode(error: unknown): string | null {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : null;
}

/**
 * The one mapping from anything thrown in main to what the renderer receives, shared by the dispatcher (a
 * request) and the task runner (a background export, import or restore), so the same failure reads the same
 * wherever it happened. Typed errors pass as they are; the database's refusals become the typed errors they
 * mean; anything else is INTERNAL, with its details only in the log.
 */
export function toApiError(error: unknown, logError: LogError): ApiError {
  if (error instanceof AppError) return error.toApiError();
  const code = sqliteCode(error);
  // A unique or foreign key refused the write: another window, an import or a sync wrote the same data first.
  if (code?.startsWith('SQLITE_CONSTRAINT')) {
    return { code: 'CONFLICT', reason: 'data_changed', message: 'The change conflicts with data saved meanwhile; reload and try again.' };
  }
  // Still locked after the connection's busy timeout (db/open.ts): a long write elsewhere; nothing was written here.
  if (code === 'SQLITE_BUSY' || code?.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    logError(error);
    return { code: 'BUSY', retryable: true, message: 'The database is busy with another write; nothing was saved. Try again in a moment.' };
  }
  logError(error);
  return { code: 'INTERNAL', message: 'Something went wrong; the work that did not finish was not saved.' };
}
