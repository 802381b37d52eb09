import type { ApiError } from '../../../contract';
import type { MessageKey, Translate } from '../../i18n';
import { ApiFailure, errorText } from '../../lib/api';

// Why main refused a file (a field code on `fileId`), in the user's language. Main's own message is English
// and meant for the log; these are the words shown.
const problems = new Set([
  'not_a_backup', 'backup_too_many_files', 'backup_too_large', 'backup_suspicious', 'backup_record_too_large', 'backup_damaged',
  'old_excel', 'invalid_xlsx', 'empty_file', 'unsupported_file', 'table_too_large', 'spreadsheet_suspicious', 'file_too_large',
]);

/** A failed file task or call (an ApiError from a task, or what `must` threw) in words a recruiter understands. */
export function fileProblemText(t: Translate, error: ApiError | unknown): string {
  const apiError = error instanceof ApiFailure ? error.error : isApiError(error) ? error : null;
  const code = apiError?.fields?.find((f) => f.path === 'fileId' || f.path === 'sizeBytes')?.message;
  if (code && problems.has(code)) return t(`transfer.problem.${code}` as MessageKey);
  return apiError ? t(`error.${apiError.code}` as MessageKey) : errorText(t, error);
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
