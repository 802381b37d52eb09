import type { Client, ClientStatus } from '../../../contract/clients';
import type { ConflictFields } from '../../lib/editConflict';

/** What the client modal holds while the user types: inputs' own values (numbers may be '' while empty). */
export interface ClientFormValues {
  companyName: string;
  email: string;
  areaId: string;
  phone: string;
  website: string;
  comments: string;
  status: ClientStatus;
  ownerId: string;
  defaultFeePercent: number | string;
  defaultGuaranteeDays: number | string;
  defaultPaymentTermsDays: number | string;
}

export function clientFormValues(client: Client | null, currentUserId: string | null): ClientFormValues {
  return {
    companyName: client?.companyName ?? '',
    email: client?.email ?? '',
    areaId: client?.areaId ?? '',
    phone: client?.phone ?? '',
    website: client?.website ?? '',
    comments: client?.comments ?? '',
    status: client?.status ?? 'active',
    ownerId: client ? (client.ownerId ?? '') : (currentUserId ?? ''),
    defaultFeePercent: client?.defaultFeePercent ?? '',
    defaultGuaranteeDays: client?.defaultGuaranteeDays ?? '',
    defaultPaymentTermsDays: client?.defaultPaymentTermsDays ?? '',
  };
}

const numberOrNull = (v: number | string) => (v === '' || v === null ? null : Number(v));

export function clientInput(values: ClientFormValues) {
  return {
    ...values,
    ownerId: values.ownerId || null,
    defaultFeePercent: numberOrNull(values.defaultFeePercent),
    defaultGuaranteeDays: numberOrNull(values.defaultGuaranteeDays),
    defaultPaymentTermsDays: numberOrNull(values.defaultPaymentTermsDays),
  };
}

const count = (n: number | string, format: { number: (n: number) => string }) => (n === '' ? '—' : format.number(Number(n)));

/** Every field of the modal, labelled and shown as the modal does, for the edit-conflict notice. */
export const clientConflictFields: ConflictFields<ClientFormValues> = [
  { key: 'companyName', label: 'clientForm.companyName' },
  { key: 'email', label: 'clientForm.email' },
  { key: 'areaId', label: 'clientForm.area', show: (v, { areaName }) => (v.areaId ? areaName(v.areaId) : '—') },
  { key: 'phone', label: 'clientForm.phone' },
  { key: 'website', label: 'clientForm.website' },
  { key: 'status', label: 'clientForm.status', show: (v, { t }) => t(`status.${v.status}`) },
  { key: 'ownerId', label: 'clientForm.owner', show: (v, { userName }) => (v.ownerId ? userName(v.ownerId) : '—') },
  { key: 'comments', label: 'clientForm.comments' },
  { key: 'defaultFeePercent', label: 'clientForm.feePercent', show: (v, { format }) => (v.defaultFeePercent === '' ? '—' : `${format.number(Number(v.defaultFeePercent))} %`) },
  { key: 'defaultGuaranteeDays', label: 'clientForm.guaranteeDays', show: (v, { format }) => count(v.defaultGuaranteeDays, format) },
  { key: 'defaultPaymentTermsDays', label: 'clientForm.paymentTermsDays', show: (v, { format }) => count(v.defaultPaymentTermsDays, format) },
];
