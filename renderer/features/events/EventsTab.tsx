import { ActionIcon, Anchor, Badge, Button, Card, Center, Group, Loader, MultiSelect, SegmentedControl, Stack, Text, TextInput, ThemeIcon, Tooltip } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCalendarEvent, IconDownload, IconPaperclip, IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { eventTypes, type ClientEvent, type ClientEventType } from '../../../contract/events';
import { useAppStore } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { ConfirmModal } from '../../lib/ConfirmModal';
import { dateTimeFormat, formatSize, numberFormat } from '../../lib/intl';
import { openDocument } from './documents';
import { ActivityCard } from './ActivityCard';
import { EventModal } from './EventModal';
import classes from './Events.module.css';
import { eventColors, eventIcons } from './icons';

interface Filter {
  types: ClientEventType[];
  ownerIds: string[];
  from: string | null;
  to: string | null;
  search: string;
}

/** The client's history of interactions, newest first, grouped by month. */
export function EventsTab({ clientId, readOnly, onChanged }: { clientId: string; readOnly: boolean; onChanged: () => void }) {
  const t = useT();
  const format = useFormat();
  const users = useAppStore((s) => s.users);
  const [filter, setFilter] = useState<Filter>({ types: [], ownerIds: [], from: null, to: null, search: '' });
  const [debounced] = useDebouncedValue(filter, 200);
  const [rows, setRows] = useState<ClientEvent[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [editing, setEditing] = useState<ClientEvent | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ClientEvent | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [view, setView] = useState<'timeline' | 'activity'>('timeline');
  const [version, setVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      const page = await must(api().events.list({ clientId, ...debounced, limit: 30 }));
      setRows(page.rows);
      setCursor(page.nextCursor);
    } catch (error) {
      notifyError(t, error);
      setRows([]);
    }
  }, [clientId, debounced, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const changed = () => {
    void load();
    setVersion((v) => v + 1);
    onChanged();
  };

  const more = async () => {
    setLoadingMore(true);
    try {
      const page = await must(api().events.list({ clientId, ...debounced, limit: 30, cursor }));
      setRows((r) => [...(r ?? []), ...page.rows]);
      setCursor(page.nextCursor);
    } catch (error) {
      notifyError(t, error);
    } finally {
      setLoadingMore(false);
    }
  };

  const remove = async (event: ClientEvent) => {
    setDeleting(null);
    try {
      await must(api().events.delete({ id: event.id, version: event.version }));
      changed();
      const id = notifications.show({
        color: 'gray',
        autoClose: 8000,
        message: (
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{t('events.deleted', { title: event.title })}</Text>
            <Button
              size="compact-sm"
              variant="light"
              onClick={() => {
                notifications.hide(id);
                void must(api().events.restore({ id: event.id }))
                  .then(() => {
                    notifications.show({ color: 'teal', message: t('events.restored', { title: event.title }) });
                    changed();
                  })
                  .catch((error: unknown) => notifyError(t, error));
              }}
            >
              {t('events.undo')}
            </Button>
          </Group>
        ),
      });
    } catch (error) {
      // Changed or removed meanwhile: say so, and show the timeline as it is now before the user decides again.
      notifyError(t, error);
      changed();
    }
  };

  const filtered = filter.types.length + filter.ownerIds.length > 0 || !!filter.from || !!filter.to || !!filter.search.trim();
  const monthLabel = (iso: string) => dateTimeFormat(format.locale, { month: 'long', year: 'numeric' }).format(new Date(iso));
  const groups: { month: string; events: ClientEvent[] }[] = [];
  for (const event of rows ?? []) {
    const month = monthLabel(event.occurredAt);
    const last = groups.at(-1);
    if (last && last.month === month) last.events.push(event);
    else groups.push({ month, events: [event] });
  }

  if (view === 'activity') {
    return (
      <Stack gap="md">
        <ViewSwitch view={view} onChange={setView} />
        <ActivityCard clientId={clientId} version={version} limit={100} title={false} />
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <ViewSwitch view={view} onChange={setView} />
      <Group justify="space-between" align="flex-end">
        <Group gap="sm" align="flex-end">
          <TextInput
            aria-label={t('events.search')}
            placeholder={t('events.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={filter.search}
            onChange={(e) => {
              const search = e.currentTarget.value;
              setFilter((f) => ({ ...f, search }));
            }}
            w={240}
          />
          <MultiSelect
            aria-label={t('events.types')}
            placeholder={filter.types.length ? undefined : t('events.types')}
            data={eventTypes.map((type) => ({ value: type, label: t(`eventType.${type}` as MessageKey) }))}
            value={filter.types}
            onChange={(v) => setFilter((f) => ({ ...f, types: v as ClientEventType[] }))}
            clearable
            w={220}
          />
          <MultiSelect
            aria-label={t('events.owners')}
            placeholder={filter.ownerIds.length ? undefined : t('events.owners')}
            data={users.map((u) => ({ value: u.id, label: u.name }))}
            value={filter.ownerIds}
            onChange={(v) => setFilter((f) => ({ ...f, ownerIds: v }))}
            clearable
            searchable
            w={200}
          />
          <DateInput aria-label={t('events.from')} placeholder={t('events.from')} value={filter.from} onChange={(v) => setFilter((f) => ({ ...f, from: v ? String(v).slice(0, 10) : null }))} clearable valueFormat="DD/MM/YYYY" w={140} />
          <DateInput aria-label={t('events.to')} placeholder={t('events.to')} value={filter.to} onChange={(v) => setFilter((f) => ({ ...f, to: v ? String(v).slice(0, 10) : null }))} clearable valueFormat="DD/MM/YYYY" w={140} />
        </Group>
        {!readOnly && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('events.add')}
          </Button>
        )}
      </Group>

      {rows === null ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <Card withBorder padding="xl">
          <Center>
            <Stack align="center" gap="xs" ta="center" maw={420}>
              <ThemeIcon size={48} radius="xl" variant="light">
                <IconCalendarEvent />
              </ThemeIcon>
              {filtered ? (
                <Text c="dimmed">{t('events.noResults')}</Text>
              ) : (
                <>
                  <Text fw={600}>{t('events.empty.title')}</Text>
                  <Text c="dimmed" size="sm">
                    {t('events.empty.body')}
                  </Text>
                </>
              )}
            </Stack>
          </Center>
        </Card>
      ) : (
        <div role="list" aria-label={t('detail.tab.events')}>
          {groups.map((group) => (
            <div key={group.month}>
              <div className={classes.month}>{group.month}</div>
              <Stack gap="xs">
                {group.events.map((event) => {
                  const Icon = eventIcons[event.type];
                  return (
                    <Card key={event.id} withBorder padding="sm" role="listitem" aria-label={event.title}>
                      <Group align="flex-start" wrap="nowrap" gap="md">
                        <ThemeIcon variant="light" color={eventColors[event.type]} size={36} radius="xl">
                          <Icon size={18} />
                        </ThemeIcon>
                        <div style={{ flex: 1, minWidth: 0 }}>
                          <Group gap="xs" wrap="nowrap">
                            <Text fw={600} truncate>
                              {event.title}
                            </Text>
                            <Badge size="xs" variant="light" color={eventColors[event.type]}>
                              {t(`eventType.${event.type}` as MessageKey)}
                            </Badge>
                            {event.score !== null && (
                              <Badge size="xs" variant="filled" color={event.score >= 8 ? 'teal' : event.score >= 6 ? 'yellow' : 'red'}>
                                {event.score}/10
                              </Badge>
                            )}
                            {event.amountMinor !== null && event.amountCurrency && (
                              <Badge size="xs" variant="outline" color="grape">
                                {numberFormat(format.locale, { style: 'currency', currency: event.amountCurrency }).format(event.amountMinor / 100)}
                                {event.proposalState ? ` · ${t(`events.proposal.${event.proposalState}` as MessageKey)}` : ''}
                              </Badge>
                            )}
                          </Group>
                          <Text size="xs" c="dimmed">
                            {format.dateTime(event.occurredAt)}
                            {event.owners.length > 0 && ` · ${event.owners.map((o) => (o.active ? o.name : `${o.name} (${t('events.inactive')})`)).join(', ')}`}
                            {event.attachments.length > 0 && ` · ${t('events.attachments', { count: event.attachments.length })}`}
                          </Text>
                          {event.notes && (
                            <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }} lineClamp={4}>
                              {event.notes}
                            </Text>
                          )}
                          {event.attachments.length > 0 && (
                            <Group gap="sm" mt={6}>
                              {event.attachments.map((a) => (
                                <Anchor
                                  key={a.id}
                                  size="sm"
                                  component="button"
                                  type="button"
                                  aria-label={t('events.download', { name: a.fileName })}
                                  onClick={() => void openDocument(t, a)}
                                >
                                  <Group gap={4} wrap="nowrap">
                                    <IconPaperclip size={14} />
                                    {a.fileName}
                                    <Text span size="xs" c="dimmed">
                                      ({formatSize(a.sizeBytes, format.locale)})
                                    </Text>
                                    <IconDownload size={12} />
                                  </Group>
                                </Anchor>
                              ))}
                            </Group>
                          )}
                        </div>
                        {!readOnly && (
                          <Group gap={4} wrap="nowrap">
                            <Tooltip label={t('events.edit')}>
                              <ActionIcon variant="subtle" color="gray" aria-label={`${t('events.edit')} ${event.title}`} onClick={() => setEditing(event)}>
                                <IconPencil size={16} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label={t('events.delete')}>
                              <ActionIcon variant="subtle" color="red" aria-label={`${t('events.delete')} ${event.title}`} onClick={() => setDeleting(event)}>
                                <IconTrash size={16} />
                              </ActionIcon>
                            </Tooltip>
                          </Group>
                        )}
                      </Group>
                    </Card>
                  );
                })}
              </Stack>
            </div>
          ))}
          {cursor && (
            <Group justify="center" mt="md">
              <Button variant="subtle" loading={loadingMore} onClick={() => void more()}>
                {t('events.more')}
              </Button>
            </Group>
          )}
        </div>
      )}

      <EventModal opened={editing !== null} clientId={clientId} event={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={changed} />
      <ConfirmModal
        opened={deleting !== null}
        title={t('events.deleteConfirm', { title: deleting?.title ?? '' })}
        body={t('events.deleteBody')}
        confirmLabel={t('events.delete')}
        onConfirm={() => deleting && void remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}


/** Timeline of events only, or every change on the client (events, jobs, profile, contacts) in time order. */
function ViewSwitch({ view, onChange }: { view: 'timeline' | 'activity'; onChange: (view: 'timeline' | 'activity') => void }) {
  const t = useT();
  return (
    <SegmentedControl
      w="fit-content"
      value={view}
      onChange={(value) => onChange(value as 'timeline' | 'activity')}
      data={[
        { value: 'timeline', label: t('events.viewTimeline') },
        { value: 'activity', label: t('events.viewActivity') },
      ]}
    />
  );
}
