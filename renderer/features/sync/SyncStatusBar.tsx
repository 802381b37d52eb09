import { ActionIcon, Anchor, Box, Button, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCloudCheck, IconCloudOff, IconRefresh, IconCloudUpload } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import type { SyncStatus } from '../../../contract/teamSync';
import { useFormat, useT, type MessageKey, type Translate } from '../../i18n';
import { useSyncStore } from './store';

/** The headline of a state, in words a recruiter reads at a glance. */
export function syncHeadline(t: Translate, status: SyncStatus, format: { dateTime: (iso: string) => string }): string {
  if (status.state === 'offline') return t('sync.state.offline', { time: format.dateTime(status.offlineSince ?? new Date().toISOString()) });
  if (status.state === 'idle' && status.pending > 0) return t('sync.pending', { count: status.pending });
  return t(`sync.state.${status.state}`);
}

/** What a problem or a long piece of work means, with what to do. */
export function syncDetail(t: Translate, status: SyncStatus, number: (n: number) => string): string | null {
  if (status.problem) return t(`sync.problem.${status.problem.code}` as MessageKey, { minutes: status.problem.minutes ?? 0 });
  if (status.progress) return t(`sync.phase.${status.progress.phase}` as MessageKey, { done: number(status.progress.done), total: number(status.progress.total) });
  if (status.state === 'offline') return t('sync.offlineHelp');
  return null;
}

/** What else the recruiter should know: colleagues' changes waiting, changes refused, possible duplicates (with where to review them). */
export function syncNotes(t: Translate, status: SyncStatus): { text: string; link?: string }[] {
  const notes: ({ text: string; link?: string } | null)[] = [
    status.parked ? { text: t('sync.parked', { count: status.parked }) } : null,
    status.refused ? { text: t('sync.refused', { count: status.refused }) } : null,
    status.duplicates.length ? { text: t('sync.duplicates', { count: status.duplicates.length }), link: `/duplicates?clients=${status.duplicates.join(',')}` } : null,
  ];
  return notes.filter((n) => n !== null);
}

/**
 * The sync state in the navigation, on every page: up to date / N changes waiting / offline since … / a
 * problem in words, with "Sync now". Polls the job (often while it works); the browser's "online" event asks
 * for a sync at once.
 */
export function SyncStatusBar() {
  const t = useT();
  const format = useFormat();
  const status = useSyncStore((s) => s.status);
  const refresh = useSyncStore((s) => s.refresh);
  const syncNow = useSyncStore((s) => s.syncNow);
  const cancel = useSyncStore((s) => s.cancel);
  const navigate = useNavigate();
  const busy = status?.state === 'syncing';

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), busy ? 1500 : 10_000);
    const online = () => void syncNow();
    window.addEventListener('online', online);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('online', online);
    };
  }, [refresh, syncNow, busy]);

  if (!status) return null;
  if (status.state === 'off') {
    return (
      <Group gap={6} px="xs" py={6} wrap="nowrap" aria-label={t('sync.title')} role="status">
        <IconCloudOff size={16} color="var(--mantine-color-dimmed)" aria-hidden />
        <Text size="xs" c="dimmed" style={{ flex: 1 }}>
          {t('sync.state.off')}
        </Text>
        <Anchor size="xs" component="button" type="button" onClick={() => void navigate('/settings')}>
          {t('sync.setUp')}
        </Anchor>
      </Group>
    );
  }

  const color = status.state === 'error' ? 'red' : status.state === 'offline' ? 'orange' : status.pending > 0 || busy ? 'blue' : 'teal';
  const Icon = status.state === 'error' ? IconAlertTriangle : status.state === 'offline' ? IconCloudOff : status.pending > 0 || busy ? IconCloudUpload : IconCloudCheck;
  const detail = syncDetail(t, status, format.number);
  const notes = syncNotes(t, status);

  return (
    <Box px="xs" py={6} role="status" aria-label={t('sync.title')} aria-live="polite">
      <Group gap={6} wrap="nowrap" align="flex-start">
        <Icon size={16} color={`var(--mantine-color-${color}-6)`} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Text size="xs" fw={600} c={status.state === 'error' ? 'red' : undefined}>
            {syncHeadline(t, status, format)}
          </Text>
          {status.state !== 'error' && (
            <Text size="xs" c="dimmed">
              {status.lastSyncedAt ? t('sync.lastSynced', { time: format.dateTime(status.lastSyncedAt) }) : t('sync.never')}
            </Text>
          )}
          {detail && (
            <Text size="xs" c={status.problem ? 'red' : 'dimmed'}>
              {detail}
            </Text>
          )}
          {status.progress && <Progress size="xs" value={status.progress.total ? (100 * status.progress.done) / status.progress.total : 0} aria-label={detail ?? ''} />}
          {notes.map((note) =>
            note.link ? (
              <Anchor key={note.text} size="xs" c="orange" component="button" type="button" ta="left" onClick={() => void navigate(note.link!)}>
                {note.text}
              </Anchor>
            ) : (
              <Text key={note.text} size="xs" c="orange">
                {note.text}
              </Text>
            ),
          )}
          {status.progress && busy && (
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void cancel()} w="fit-content">
              {t('sync.cancel')}
            </Button>
          )}
        </Stack>
        <Tooltip label={t('sync.now')}>
          <ActionIcon variant="subtle" size="sm" loading={busy} onClick={() => void syncNow()} aria-label={t('sync.now')}>
            <IconRefresh size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Box>
  );
}
