import type { FieldIssue } from '../../contract';
import type { DuplicateMatch } from '../../contract/errors';

// The rejected-rows report is a file the user opens outside the app, so its words come from the renderer
// in the user's language (ImportOptions.reportText). These are the English words for any key it left out.
const english: Record<string, string> = {
  'header.line': 'Line',
  'header.result': 'Result',
  'header.reason': 'Reason',
  'outcome.reject': 'Rejected',
  'outcome.skip': 'Skipped',
  'report.fileSuffix': 'rejected',
  'reason.duplicate': 'Already exists: {clients}',
  'reason.same_as_line': 'Same as line {line} of this file',
  'reason.existing_contact': 'Already a contact of this client',
  'match.email': 'same email',
  'match.name': 'same name',
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
};

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
  const blocking = matches.filter((m) => m.reasons.some((r) => r === 'email' || r === 'name'));
  // A contacts file skips a person the client already has: there is no other client to name.
  if (!blocking.length) return text('reason.existing_contact');
  const clients = blocking
    .map((m) => `${m.code} ${m.companyName} (${m.reasons.map((r) => text(`match.${r}`)).join(', ')})`)
    .join('; ');
  return text('reason.duplicate', { clients });
}
