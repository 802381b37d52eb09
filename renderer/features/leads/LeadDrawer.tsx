import { Alert, Anchor, Badge, Button, Divider, Drawer, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea, ThemeIcon, Title } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconPencil } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ClientEvent } from '../../../contract/events';
import type { Lead } from '../../../contract/leads';
import { useFormat, useT, type MessageKey, type Translate } from '../../i18n';
import { useAppStore, useAreaLabel } from '../../app/store';
import { ApiFailure, api, errorText, fieldErrors, must, notifyError } from '../../lib/api';
import { formatMoney } from '../../lib/money';
import { eventColors, eventIcons } from '../events/icons';
import { LeadModal } from './LeadModal';

const recordTypes = ['meeting', 'call', 'email', 'proposal', 'note', 'won_deal', 'lost_deal', 'other'] as const;
type RecordType = (typeof recordTypes)[number];
const nowLocal = () => {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
};

/** A lead: its data, its own timeline, recording events (a Won Deal converts it), and the review of look-alikes. */
export function LeadDrawer({ leadId, onClose, onChanged }: { leadId: string | null; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const areas = useAppStore((s) => s.areas);
  const areaLabel = useAreaLabel();
  const [lead, setLead] = useState<Lead | null>(null);
  const [events, setEvents] = useState<ClientEvent[]>([]);
  const [editing, setEditing] = useState(false);
  const [type, setType] = useState<RecordType>('call');
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState(nowLocal());
  const [notes, setNotes] = useState('');
  const [lostReason, setLostReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    if (!leadId) return;
    try {
      const [l, e] = await Promise.all([must(api().leads.get({ id: leadId })), must(api().leads.events({ leadId }))]);
      setLead(l);
      setEvents(e);
    } catch (error) {
      notifyError(t, error);
    }
  }, [leadId, t]);

  useEffect(() => {
    setLead(null);
    setEvents([]);
    setTitle('');
    setNotes('');
    setLostReason('');
    setErrors({});
    void load();
  }, [load]);

  const announce = (outcome: string, clientId: string | null, clientName: string | null) => announceOutcome(t, (path) => void navigate(path), outcome, clientId, clientName);

  const record = async () => {
    if (!lead) return;
    setBusy(true);
    setErrors({});
    try {
      const result = await must(
        api().leads.recordEvent({ leadId: lead.id, type, title: title || t(`eventType.${type}` as MessageKey), occurredAt: new Date(when.replace(' ', 'T')).toISOString(), notes, lostReason: type === 'lost_deal' ? lostReason : null }),
      );
      setLead(result.lead);
      announce(result.outcome, result.clientId, result.lead.clientName);
      setTitle('');
      setNotes('');
      setLostReason('');
      void load();
      onChanged();
    } catch (error) {
      if (error instanceof ApiFailure && error.error.code === 'VALIDATION') {
        setErrors(fieldErrors(t, error.error.fields));
        notifications.show({ color: 'red', message: errorText(t, error) });
      } else notifyError(t, error);
    } finally {
      setBusy(false);
    }
  };

  const resolve = async (action: 'link' | 'create', clientId?: string) => {
    if (!lead) return;
    try {
      const result = await must(api().leads.resolveReview({ leadId: lead.id, action, clientId: clientId ?? null }));
      setLead(result.lead);
      announce(result.outcome, result.clientId, result.lead.clientName);
      onChanged();
    } catch (error) {
      notifyError(t, error);
    }
  };

  return (
    <Drawer opened={leadId !== null} onClose={onClose} position="right" size="lg" title={lead?.companyName ?? ''}>
      {lead && (
        <Stack gap="md">
          <Group justify="space-between">
            <Group gap="xs">
              <Badge variant="light" color={lead.stage === 'won' ? 'teal' : lead.stage === 'lost' ? 'red' : 'indigo'}>
                {t(`leads.stage.${lead.stage}` as MessageKey)}
              </Badge>
              {lead.clientId && (
                <Anchor size="sm" onClick={() => void navigate(`/clients/${lead.clientId}`)}>
                  {t('leads.convertedTo', { name: lead.clientName ?? '' })}
                </Anchor>
              )}
            </Group>
            <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)}>
              {t('leads.edit')}
            </Button>
          </Group>
          <Text size="sm">
            {[lead.contactName, lead.email, lead.phone].filter(Boolean).join(' · ') || t('common.none')}
          </Text>
          <SimpleGrid cols={4} spacing="sm">
            <Detail label={t('leads.area')} value={lead.areaId ? areaLabel(areas.find((a) => a.id === lead.areaId)) : null} />
            <Detail label={t('leads.owner')} value={lead.ownerName} />
            <Detail label={t('leads.source')} value={lead.source} />
            <Detail
              label={t('leads.value')}
              value={lead.expectedValueMinor !== null && lead.expectedValueCurrency ? formatMoney(lead.expectedValueMinor, lead.expectedValueCurrency, format.locale) : null}
            />
          </SimpleGrid>
          {lead.lostReason && <Alert color="red">{lead.lostReason}</Alert>}

          {lead.reviewCandidates && !lead.clientId && (
            <Alert color="yellow" title={t('leads.review.title')} role="alert">
              <Text size="sm" mb="xs">
                {t('leads.review.body')}
              </Text>
              <Stack gap={6}>
                {lead.reviewCandidates.map((c) => (
                  <Group key={c.id} justify="space-between" wrap="nowrap">
                    <Text size="sm">
                      {c.companyName} <Text span c="dimmed" size="xs">{c.code} · {c.email}</Text>
                    </Text>
                    <Button size="compact-sm" variant="light" onClick={() => void resolve('link', c.id)}>
                      {t('leads.review.link', { name: c.companyName })}
                    </Button>
                  </Group>
                ))}
                <Button size="compact-sm" variant="default" w="fit-content" onClick={() => void resolve('create')}>
                  {t('leads.review.create')}
                </Button>
              </Stack>
            </Alert>
          )}

          <Divider label={t('leads.record')} labelPosition="left" />
          <Group grow align="flex-start">
            <Select label={t('leads.recordType')} data={recordTypes.map((r) => ({ value: r, label: t(`eventType.${r}` as MessageKey) }))} value={type} onChange={(v) => v && setType(v as RecordType)} allowDeselect={false} />
            <DateTimePicker label={t('leads.recordWhen')} value={when} onChange={(v) => v && setWhen(String(v))} valueFormat="DD/MM/YYYY HH:mm" />
          </Group>
          <TextInput label={t('leads.recordTitle')} placeholder={t(`eventType.${type}` as MessageKey)} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          {type === 'lost_deal' ? (
            <TextInput label={t('leads.lostReason')} required value={lostReason} error={errors.lostReason} onChange={(e) => setLostReason(e.currentTarget.value)} />
          ) : (
            <Textarea label={t('leads.recordNotes')} autosize minRows={2} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
          )}
          <Button onClick={() => void record()} loading={busy} color={type === 'won_deal' ? 'teal' : type === 'lost_deal' ? 'red' : undefined} w="fit-content">
            {t('leads.record')}
          </Button>

          <Divider label={t('leads.events')} labelPosition="left" />
          {events.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('leads.noEvents')}
            </Text>
          ) : (
            <Stack gap="xs" role="list" aria-label={t('leads.events')}>
              {events.map((e) => {
                const Icon = eventIcons[e.type];
                return (
                  <Group key={e.id} gap="sm" wrap="nowrap" role="listitem">
                    <ThemeIcon variant="light" color={eventColors[e.type]} radius="xl" size={28}>
                      <Icon size={14} />
                    </ThemeIcon>
                    <div>
                      <Text size="sm" fw={500}>
                        {e.title}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`eventType.${e.type}` as MessageKey)} · {format.dateTime(e.occurredAt)}
                        {e.notes ? ` · ${e.notes}` : ''}
                      </Text>
                    </div>
                  </Group>
                );
              })}
            </Stack>
          )}
          <Title order={6} c="dimmed" fw={400}>
            {t('leads.created')}: {format.dateTime(lead.createdAt)}
          </Title>
        </Stack>
      )}
      <LeadModal
        opened={editing}
        lead={lead}
        onClose={() => setEditing(false)}
        onSaved={(l) => {
          setLead(l);
          onChanged();
        }}
      />
    </Drawer>
  );
}

/** Says what a recorded event did to the lead, with a way to open the client it became or joined. */
function announceOutcome(t: Translate, go: (path: string) => void, outcome: string, clientId: string | null, clientName: string | null) {
  const message =
    outcome === 'created' ? t('leads.wonCreated', { name: clientName ?? '' })
    : outcome === 'linked' ? t('leads.wonLinked', { name: clientName ?? '' })
    : outcome === 'existing' ? t('leads.wonExisting')
    : outcome === 'review' ? t('leads.wonReview')
    : outcome === 'lost' ? t('leads.lost')
    : t('leads.recorded');
  const id = `lead-outcome-${Date.now()}`;
  notifications.show({
    id,
    color: outcome === 'review' ? 'yellow' : 'teal',
    autoClose: clientId ? 10_000 : 4000,
    message: (
      <Stack gap={4}>
        <Text size="sm">{message}</Text>
        {clientId && (
          <Button
            size="compact-sm"
            variant="light"
            w="fit-content"
            onClick={() => {
              notifications.hide(id);
              go(`/clients/${clientId}`);
            }}
          >
            {t('leads.openClient')}
          </Button>
        )}
      </Stack>
    ),
  });
}

/** One labelled fact of the lead; a dash when it is not known. */
function Detail({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value || '—'}</Text>
    </div>
  );
}
