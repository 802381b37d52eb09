import { openStages, type Lead } from '../../../contract/leads';
import type { ConflictFields } from '../../lib/editConflict';
import type { MessageKey } from '../../i18n';
import { formatMoney, toMajor, toMinor } from '../../lib/money';

export interface LeadFormValues {
  companyName: string;
  contactName: string;
  email: string;
  phone: string;
  areaId: string | null;
  source: string;
  stage: string;
  ownerId: string | null;
  value: number | string;
  currency: string;
}

export function leadFormValues(lead: Lead | null, currentUserId: string | null): LeadFormValues {
  return {
    companyName: lead?.companyName ?? '',
    contactName: lead?.contactName ?? '',
    email: lead?.email ?? '',
    phone: lead?.phone ?? '',
    areaId: lead?.areaId ?? null,
    source: lead?.source ?? '',
    // Won and lost come from events; the form edits the open stages only.
    stage: lead && (openStages as readonly string[]).includes(lead.stage) ? lead.stage : 'new',
    ownerId: lead ? lead.ownerId : currentUserId,
    value: toMajor(lead?.expectedValueMinor ?? null),
    currency: lead?.expectedValueCurrency ?? 'EUR',
  };
}

export function leadInput(v: LeadFormValues) {
  return {
    companyName: v.companyName, contactName: v.contactName, email: v.email, phone: v.phone, areaId: v.areaId, source: v.source, stage: v.stage, ownerId: v.ownerId,
    expectedValueMinor: toMinor(v.value), expectedValueCurrency: v.value === '' ? null : v.currency,
  };
}

export const leadConflictFields: ConflictFields<LeadFormValues> = [
  { key: 'companyName', label: 'leads.company' },
  { key: 'contactName', label: 'leads.contact' },
  { key: 'email', label: 'leads.email' },
  { key: 'phone', label: 'leads.phone' },
  { key: 'areaId', label: 'leads.area', show: (v, { areaName }) => (v.areaId ? areaName(v.areaId) : '—') },
  { key: 'source', label: 'leads.source' },
  { key: 'stage', label: 'leads.stage', show: (v, { t }) => t(`leads.stage.${v.stage}` as MessageKey) },
  { key: 'ownerId', label: 'leads.owner', show: (v, { userName }) => (v.ownerId ? userName(v.ownerId) : '—') },
  { key: 'value', label: 'leads.value', show: (v, { format }) => (v.value === '' ? '—' : formatMoney(toMinor(v.value) ?? 0, v.currency, format.locale)) },
  { key: 'currency', label: 'leads.currency' },
];
