import type { Contact } from '../../../contract/contacts';
import type { ConflictFields } from '../../lib/editConflict';

export interface ContactFormValues {
  name: string;
  role: string;
  email: string;
  phone: string;
  isPrimary: boolean;
  notes: string;
}

export function contactFormValues(contact: Contact | null): ContactFormValues {
  return {
    name: contact?.name ?? '',
    role: contact?.role ?? '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
    isPrimary: contact?.isPrimary ?? false,
    notes: contact?.notes ?? '',
  };
}

export const contactConflictFields: ConflictFields<ContactFormValues> = [
  { key: 'name', label: 'contacts.name' },
  { key: 'role', label: 'contacts.role' },
  { key: 'email', label: 'contacts.email' },
  { key: 'phone', label: 'contacts.phone' },
  { key: 'notes', label: 'contacts.notes' },
  { key: 'isPrimary', label: 'contacts.makePrimary', show: (v, { t }) => t(v.isPrimary ? 'common.yes' : 'common.no') },
];
