import type { FieldIssue } from '../../contract';
import type { DuplicateMatch } from '../../contract/errors';
import type { ImportRowCheck, ImportWarning } from '../../contract/transfer';

// The rejected-rows report is a file the user opens outside the app, so its words come from the renderer
// in the user's language (ImportOptions.reportText). These are the English words for any key it left out.
const english: Record<string, string> = {
  'header.line': 'Line',
  'header.result': 'Result',
  'header.reason': 'Reason',
  'outcome.create': 'Created',
  'outcome.update': 'Updated',
  'outcome.contact': 'Contact added',
  'outcome.reject': 'Rejected',
  'outcome.skip': 'Skipped',
  'report.fileSuffix': 'report',
  'reason.duplicate': 'Already exists: {clients}',
  'reason.same_as_line': 'Same as line {line} of this file',
  'reason.existing_contact': 'Already a contact of this client',
  'reason.repeated_header': 'Repeats the header row',
  'reason.totals_row': 'A totals row, not a client',
  'reason.continues_skipped': 'Adds a contact to line {line}, which was skipped',
  'reason.possible_duplicates': 'Looks like {clients}',
  'reason.similar_lines': 'Looks like line(s) {lines} of this file ({reasons})',
  'match.email': 'same email',
  'match.name': 'same name',
  'match.domain': 'same website',
  'match.email_domain': 'same email domain',
  'match.similar_name': 'similar name',
  'match.brand': 'same brand',
  'match.acronym': 'initials of the name',
  'warning': '{field}: {problem} ("{value}"), {action}',
  'action.cleared': 'left empty',
  'action.default': 'the import’s default was used',
  'action.today': 'the import date was used',
  'action.default_country': 'the default phone country was used',
  'action.kept': 'the existing value was kept',
  'action.first_kept': 'only the first one was imported',
  'action.contact_skipped': 'the contact was not created',
  'action.ignored': 'not imported',
  'note.imported': 'Imported from {file}, line {line}.',
  'note.updated': 'Updated from {file}, line {line}.',
  'note.notImported': 'Not imported as written: {values}.',
  'note.contactFrom': 'Contact {name} from line {line}.',
  'field.companyName': 'Company Name',
  'field.email': 'Email',
  'field.area': 'Area',
  'field.phone': 'Phone',
  'field.website': 'Website',
  'field.comments': 'Comments',
  'field.status': 'Status',
  'field.owner': 'Owner',
  'field.defaultFeePercent': 'Fee %',
  'field.defaultGuaranteeDays': 'Guarantee days',
  'field.defaultPaymentTermsDays': 'Payment terms (days)',
  'field.contactName': 'Contact name',
  'field.contactRole': 'Contact role',
  'field.contactEmail': 'Contact email',
  'field.contactPhone': 'Contact phone',
  'field.client': 'Client',
  'field.name': 'Name',
  'field.role': 'Role',
  'field.isPrimary': 'Primary contact',
  'field.notes': 'Notes',
  'field.country': 'Country',
  'field.clientSince': 'Client since',
  'error.required': 'required',
  'error.invalid_email': 'not a valid email address',
  'error.invalid_url': 'not a valid web address',
  'error.invalid_phone': 'not a valid phone number',
  'error.invalid_number': 'not a number',
  'error.integer': 'must be a whole number',
  'error.max': 'at most {max} characters',
  'error.min': 'at least {min}',
  'error.max_value': 'at most {max}',
  'error.unknown_area': 'unknown area',
  'error.unknown_status': 'unknown status',
  'error.unknown_user': 'unknown team member',
  'error.inactive_user': 'team member is inactive',
  'error.unknown_client': 'no client with this code, email or name',
  'error.ambiguous_client': 'several clients have this name; use the code',
  'error.several_matches': 'matches several existing clients',
  'error.duplicate_contact': 'already a contact of this client',
  'error.invalid_flag': 'use yes or no',
  'error.invalid': 'not valid',
  'error.invalid_date': 'not a date',
  'error.future_date': 'a date in the future',
  'error.unknown_country': 'unknown country',
  'error.several_emails': 'several addresses',
  'error.contact_row': 'on a row that only adds a contact',
  'error.continues_rejected': 'continues line {line}, which was not imported',
};

// A warning names its problem in few words ("not a valid phone number"); the renderer may give `problem.*`
// words apart from the `error.*` ones, which are the validation sentences of its forms.
for (const [key, words] of Object.entries(english)) if (key.startsWith('error.')) english[`problem.${key.slice(6)}`] ??= words;

export type ReportText = (key: string, values?: Record<string, string | number>) => string;

export function reportText(given: Record<string, string>): ReportText {
  return (key, values = {}) => {
    const template = given[key] ?? english[key] ?? key.split('.').pop() ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  };
}

/** "Email: not a valid email address; Area: unknown area". A code's params fill its words ("at most {max} characters"). */
export function describeErrors(text: ReportText, errors: FieldIssue[]): string {
  return errors.map((e) => `${text(`field.${e.path}`)}: ${text(`error.${e.message}`, e.params)}`).join('; ');
}

export function describeDuplicates(text: ReportText, matches: DuplicateMatch[], sameAsLine: number | null): string {
  if (sameAsLine !== null) return text('reason.same_as_line', { line: sameAsLine });
  const blocking = matches.filter((m) => m.decision === 'block');
  // A contacts file skips a person the client already has: there is no other client to name.
  if (!blocking.length) return text('reason.existing_contact');
  const clients = blocking
    .map((m) => `${m.code} ${m.companyName} (${m.reasons.map((r) => text(`match.${r}`)).join(', ')})`)
    .join('; ');
  return text('reason.duplicate', { clients });
}

const shorten = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/** "Phone: not a valid phone number ("-1199"), left empty; Status: unknown status ("Dormant"), the import’s default was used". */
export function describeWarnings(text: ReportText, warnings: ImportWarning[], maxValue = 500): string {
  return warnings
    .map((w) => {
      const [code, arg] = w.message.split(':');
      const problem = text(`problem.${code}`, { max: arg ?? '', min: arg ?? '', line: arg ?? '' });
      return text('warning', { field: text(`field.${w.path}`), problem, value: shorten(w.value.replace(/\s+/g, ' '), maxValue), action: text(`action.${w.action}`) });
    })
    .join('; ');
}

/** Why a row of the report is there, in the user's words: what rejected or skipped it, or what was saved short of the file. */
export function describeRow(text: ReportText, row: ImportRowCheck): string {
  if (row.outcome === 'reject') return describeErrors(text, row.errors);
  if (row.outcome === 'skip') {
    if (row.skipReason) return text(`reason.${row.skipReason}`);
    if (row.continuesLine !== null) return text('reason.continues_skipped', { line: row.continuesLine });
    return describeDuplicates(text, row.matches, row.sameAsLine);
  }
  const reasons = (list: string[]) => list.map((r) => text(`match.${r}`)).join(', ');
  // Earlier lines grouped by why they look alike: "lines 3, 4 (similar name)".
  const similar = new Map<string, number[]>();
  for (const s of row.similarLines) similar.set(reasons(s.reasons), [...(similar.get(reasons(s.reasons)) ?? []), s.line]);
  return [
    describeWarnings(text, row.warnings),
    row.matches.length ? text('reason.possible_duplicates', { clients: row.matches.map((m) => `${m.code} ${m.companyName} (${reasons(m.reasons)})`).join('; ') }) : '',
    ...[...similar].map(([why, lines]) => text('reason.similar_lines', { lines: lines.join(', '), reasons: why })),
  ]
    .filter(Boolean)
    .join('; ');
}
