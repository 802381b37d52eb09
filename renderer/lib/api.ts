import { notifications } from '@mantine/notifications';
import type { ApiError, ErrorParams, FieldErrorCode, FieldIssue, Result } from '../../contract';
import { isMessageKey, type Translate } from '../i18n';

/** The renderer's only way to the application: `window.api`, set by the preload or the HTTP bridge. */
export const api = () => window.api;

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** Data of a successful answer, or an ApiFailure to catch where the caller can show it. */
export async function must<T>(result: Promise<Result<T>>): Promise<T> {
  const answer = await result;
  if (!answer.ok) throw new ApiFailure(answer.error);
  return answer.data;
}

/** The ApiError behind a failure: thrown by `must`, or as a task reports it. */
export function apiErrorOf(error: unknown): ApiError | null {
  if (error instanceof ApiFailure) return error.error;
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error && typeof (error as ApiError).code === 'string') return error as ApiError;
  return null;
}

const dayText = (value: string | number | undefined) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value ?? ''));
  return match ? `${match[3]}/${match[2]}/${match[1]}` : String(value ?? '');
};

/** A field code with its params ({ message: 'max', params: { max: 200 } }) in the user's language. */
export function fieldErrorText(t: Translate, issue: { message: FieldErrorCode; params?: ErrorParams | undefined }): string {
  const params = issue.params ?? {};
  if (issue.message === 'invalid_transition') {
    const status = (value: string | number | undefined) => (isMessageKey(`jobStatus.${value}`) ? t(`jobStatus.${value}` as 'jobStatus.open') : String(value ?? ''));
    return t('validation.invalid_transition', { from: status(params.from), to: status(params.to) });
  }
  if (issue.message === 'file_too_large' && params.limitMb !== undefined) return t('validation.file_too_large_limit', params);
  // Both languages' locales (en-GB, es-ES) write a day as DD/MM/YYYY.
  if (issue.message === 'date_out_of_range') return t('validation.date_out_of_range', { min: dayText(params.min), max: dayText(params.max) });
  const key = `validation.${issue.message}`;
  // A code from a newer main that this window does not know yet still reads as a sentence.
  return isMessageKey(key) ? t(key, params) : t('validation.invalid');
}

/** A bare code (the phone normaliser's, an import's) in the user's language. */
export function validationText(t: Translate, code: FieldErrorCode, params?: ErrorParams): string {
  return fieldErrorText(t, { message: code, params });
}

// Codes that only make sense next to their input ("Required"): elsewhere the error reads as "Some fields need attention".
const formShapeCodes = new Set<FieldErrorCode>([
  'required', 'invalid', 'invalid_email', 'invalid_url', 'invalid_phone', 'invalid_number', 'invalid_date', 'invalid_currency', 'integer', 'max', 'min', 'max_value', 'too_many',
  'min_above_max', 'invalid_characters', 'date_out_of_range',
]);

/**
 * Any failure in words a recruiter understands, chosen from its codes — never main's English `message`:
 * the situation (`reason`) when there is one, else a field problem that explains itself, else the code.
 */
export function errorText(t: Translate, error: unknown): string {
  const failure = apiErrorOf(error);
  if (!failure) return t('error.INTERNAL');
  if (failure.reason && isMessageKey(`reason.${failure.reason}`)) return t(`reason.${failure.reason}` as 'reason.client_not_found', failure.params);
  const field = failure.code === 'VALIDATION' ? failure.fields?.find((f) => !formShapeCodes.has(f.message)) : undefined;
  if (field) return fieldErrorText(t, field);
  return isMessageKey(`error.${failure.code}`) ? t(`error.${failure.code}` as 'error.INTERNAL') : t('error.INTERNAL');
}

/** Shows a failure as a notification in words a recruiter understands; details go to the console. */
export function notifyError(t: Translate, error: unknown): void {
  console.error(error);
  notifications.show({ color: 'red', title: t('error.title'), message: errorText(t, error), autoClose: 8000 });
}

export function fieldErrors(t: Translate, issues: FieldIssue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues ?? []) out[issue.path] ??= fieldErrorText(t, issue);
  return out;
}
