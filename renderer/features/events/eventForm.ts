import type { ClientEvent, ClientEventType } from '../../../contract/events';
import type { ConflictFields } from '../../lib/editConflict';
import type { MessageKey } from '../../i18n';
import { formatMoney, toMinor } from '../../lib/money';

export interface EventFormValues {
  type: ClientEventType;
  title: string;
  /** As the date-time picker holds it: local time, `YYYY-MM-DD HH:mm:ss`. */
  occurredAt: string;
  notes: string;
  ownerIds: string[];
  score: number | string;
  amount: number | string;
  amountCurrency: string;
  proposalState: string;
  /**
   * The event's documents as saved (names), shown in a conflict: documents are records of their own, so the
   * user's additions and removals are kept apart (EventModal) and apply whatever the choice.
   */
  documents: string[];
}

export const toLocalInput = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
};

export const fromLocalInput = (value: string) => new Date(value.replace(' ', 'T')).toISOString();

export function eventFormValues(event: ClientEvent | null, currentUserId: string | null, now: () => Date = () => new Date()): EventFormValues {
  return {
    type: event && event.type !== 'lost_deal' ? event.type : 'meeting',
    title: event?.title ?? '',
    occurredAt: toLocalInput(event?.occurredAt ?? now().toISOString()),
    notes: event?.notes ?? '',
    ownerIds: event?.owners.map((o) => o.id) ?? (currentUserId ? [currentUserId] : []),
    score: event?.score ?? '',
    amount: event?.amountMinor != null ? event.amountMinor / 100 : '',
    amountCurrency: event?.amountCurrency ?? 'EUR',
    proposalState: event?.proposalState ?? 'sent',
    documents: event?.attachments.map((a) => a.fileName) ?? [],
  };
}

export const eventConflictFields: ConflictFields<EventFormValues> = [
  { key: 'type', label: 'events.type', show: (v, { t }) => t(`eventType.${v.type}` as MessageKey) },
  { key: 'occurredAt', label: 'events.when', show: (v, { format }) => format.dateTime(fromLocalInput(v.occurredAt)) },
  { key: 'title', label: 'events.title' },
  { key: 'ownerIds', label: 'events.owners', show: (v, { userName }) => (v.ownerIds.length ? v.ownerIds.map(userName).join(', ') : '—') },
  { key: 'score', label: 'events.score', show: (v, { format }) => (v.score === '' ? '—' : format.number(Number(v.score))) },
  { key: 'amount', label: 'events.amount', show: (v, { format }) => (v.amount === '' ? '—' : formatMoney(toMinor(v.amount) ?? 0, v.amountCurrency, format.locale, 2)) },
  { key: 'amountCurrency', label: 'events.currency' },
  { key: 'proposalState', label: 'events.proposalState', show: (v, { t }) => t(`events.proposal.${v.proposalState}` as MessageKey) },
  { key: 'notes', label: 'events.notes' },
  { key: 'documents', label: 'events.documents' },
];
