import { duplicateReasons, fieldErrorCodes, type FieldErrorCode, type FieldIssue } from '../../../../contract';
import { importSkipReasons, importWarningActions, type ImportField, type ImportRowCheck, type ImportTarget, type ImportWarning } from '../../../../contract/transfer';
import type { MessageKey, Translate } from '../../../i18n';
import { fieldErrorText } from '../../../lib/api';

// How the import wizard words what main found in a file: field errors, values not imported, and the words of
// the report file main writes (sent along with the run, so the report reads in the user's language).

export const outcomeColors: Record<ImportRowCheck['outcome'], string> = { create: 'teal', update: 'blue', contact: 'cyan', skip: 'gray', reject: 'red' };
const importErrorCodes = new Set<FieldErrorCode>(['unknown_area', 'unknown_status', 'unknown_user', 'inactive_user', 'unknown_client', 'ambiguous_client', 'several_matches', 'invalid_flag', 'continues_rejected']);
/** Problems an optional value may have, in few words for a warning (the import.problem.* texts). */
const problemCodes = new Set<FieldErrorCode>([
  'required', 'invalid_email', 'invalid_url', 'invalid_phone', 'invalid_number', 'integer', 'max', 'min', 'max_value', 'invalid_date', 'future_date',
  'unknown_country', 'unknown_status', 'unknown_user', 'inactive_user', 'several_emails', 'contact_row', 'invalid_flag', 'invalid',
]);

/** Problems only an import finds (a strict run rejects for them): no form sentence says them. */
const importOnlyProblems = new Set<FieldErrorCode>(['invalid_date', 'future_date', 'unknown_country', 'several_emails', 'contact_row']);

/** A field error in the user's words: "Email: Enter a valid email address…". */
export function issueText(t: Translate, issue: FieldIssue): string {
  const message = importErrorCodes.has(issue.message)
    ? t(`import.error.${issue.message}` as MessageKey, issue.params)
    : importOnlyProblems.has(issue.message)
      ? problemText(t, issue)
      : fieldErrorText(t, issue);
  return `${fieldName(t, issue.path)}: ${message}`;
}

/** What is wrong with an optional value, in few words: "not a valid phone number". */
export function problemText(t: Translate, issue: Pick<FieldIssue, 'message' | 'params'>): string {
  return problemCodes.has(issue.message) ? t(`import.problem.${issue.message}` as MessageKey, issue.params) : t('import.problem.invalid');
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A field as a message names it: "Country", where the mapping says "Country (for phone numbers)". */
const fieldName = (t: Translate, field: string) => t(field === 'country' ? 'import.field.countryShort' : (`import.field.${field}` as MessageKey));

/** "Phone: not a valid phone number (“-1199”) — left empty". */
export function warningText(t: Translate, w: ImportWarning): string {
  return t('import.note.value', { field: fieldName(t, w.path), problem: problemText(t, w), value: shorten(w.value.replace(/\s+/g, ' '), 60), action: t(`import.action.${w.action}`) });
}

/** The words the rejected-rows report is written in, from this language's dictionary. */
export function reportWords(t: Translate, fields: readonly ImportField[], target: ImportTarget = 'clients'): Record<string, string> {
  const words: Record<string, string> = {
    'header.line': t('import.report.line'),
    'header.result': t('import.report.result'),
    'header.reason': t('import.report.reason'),
    'outcome.create': t('import.report.create'),
    'outcome.update': t('import.report.update'),
    'outcome.contact': t('import.report.contact'),
    'outcome.reject': t('import.report.reject'),
    'outcome.skip': t('import.report.skip'),
    'report.fileSuffix': t('import.report.fileSuffix'),
    'reason.duplicate': t('import.note.duplicate'),
    'reason.same_as_line': t('import.note.sameAsLine'),
    'reason.existing_contact': t('validation.duplicate_contact'),
    'reason.continues_skipped': t('import.note.continuesSkipped'),
    'reason.possible_duplicates': t('import.report.possibleDuplicates'),
    'reason.similar_lines': t('import.report.similarLines'),
    warning: t('import.report.warning'),
    'note.imported': t('import.history.imported'),
    'note.updated': t('import.history.updated'),
    'note.notImported': t('import.history.notImported'),
    'note.contactFrom': t('import.history.contactFrom'),
  };
  for (const reason of duplicateReasons) words[`match.${reason}`] = t(`duplicates.reason.${reason}` as MessageKey);
  // People match by the same-person rule's reasons (contract/people.ts).
  if (target === 'candidates') for (const reason of ['email', 'name', 'phone', 'name_company']) words[`match.${reason}`] = t(`candidates.reason.${reason}` as MessageKey);
  for (const reason of importSkipReasons) words[`reason.${reason}`] = t(`import.note.${reason}`);
  for (const action of importWarningActions) words[`action.${action}`] = t(`import.action.${action}`);
  for (const field of fields) words[`field.${field}`] = fieldName(t, field);
  // Templates: main fills each code's params ("at most {max} characters").
  for (const code of fieldErrorCodes) words[`error.${code}`] = t(`validation.${code}`);
  for (const code of importErrorCodes) words[`error.${code}`] = t(`import.error.${code}` as MessageKey);
  for (const code of importOnlyProblems) words[`error.${code}`] = problemText(t, { message: code });
  for (const code of problemCodes) words[`problem.${code}`] = t(`import.problem.${code}` as MessageKey);
  return words;
}

