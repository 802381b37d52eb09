import { notifications } from '@mantine/notifications';
import type { ApiError, FieldIssue, Result } from '../../contract';
import type { MessageKey, Translate } from '../i18n';

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

export function errorText(t: Translate, error: unknown): string {
  if (error instanceof ApiFailure) return t(`error.${error.error.code}` as MessageKey);
  return t('error.INTERNAL');
}

/** Shows a failure as a notification in words a recruiter understands; details go to the console. */
export function notifyError(t: Translate, error: unknown): void {
  console.error(error);
  notifications.show({ color: 'red', title: t('error.title'), message: errorText(t, error), autoClose: 8000 });
}

/** Validation codes from the shared zod schemas ('required', 'max:200', …) in the user's language. */
export function validationText(t: Translate, code: string): string {
  const [name, arg] = code.split(':');
  if (name === 'max') return t('validation.max', { max: arg ?? '' });
  if (name === 'max_value') return t('validation.max_value', { max: arg ?? '' });
  if (name === 'min') return t('validation.min', { min: arg ?? '' });
  const key = `validation.${name}` as MessageKey;
  const text = t(key);
  return text === key ? t('validation.invalid') : text;
}

export function fieldErrors(t: Translate, issues: FieldIssue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues ?? []) out[issue.path] ??= validationText(t, issue.message);
  return out;
}
