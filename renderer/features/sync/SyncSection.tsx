import { Anchor, Alert, Button, Card, Code, Group, PasswordInput, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconLock, IconPlugConnected } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { SyncSettings } from '../../../contract/teamSync';
import { useFormat, useT } from '../../i18n';
import { ApiFailure, api, fieldErrors, must, notifyError } from '../../lib/api';
import { useSyncStore } from './store';
import { syncDetail, syncHeadline, syncNotes } from './SyncStatusBar';

/** Settings → Team sync: server address, device token, on/off, "Test connection", and the state in full. */
export function SyncSection() {
  const t = useT();
  const format = useFormat();
  const { dateTime } = format;
  const status = useSyncStore((s) => s.status);
  const refresh = useSyncStore((s) => s.refresh);
  const syncNow = useSyncStore((s) => s.syncNow);
  const [settings, setSettings] = useState<SyncSettings | null>(null);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [tested, setTested] = useState<string | null>(null);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);

  useEffect(() => {
    void must(api().sync.settings({})).then((s) => {
      setSettings(s);
      setUrl(s.url ?? '');
    }, (error: unknown) => notifyError(t, error));
  }, [t]);

  if (!settings) return null;

  const failed = (error: unknown) => {
    if (error instanceof ApiFailure && error.error.code === 'VALIDATION') setErrors(fieldErrors(t, error.error.fields));
    else notifyError(t, error);
  };

  const test = async () => {
    setBusy('test');
    setErrors({});
    setTested(null);
    try {
      const who = await must(api().sync.test({ url, token: token || null }));
      const lines = [who.userEmail ? t('sync.testOk', { team: who.team, email: who.userEmail }) : t('sync.testOkNoEmail', { team: who.team })];
      if (Math.abs(who.clockOffsetMinutes) >= 2) lines.push(t('sync.testClock', { minutes: Math.abs(who.clockOffsetMinutes) }));
      setTested(lines.join(' '));
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };

  const save = async (enabled: boolean) => {
    setBusy('save');
    setErrors({});
    try {
      const saved = await must(api().sync.configure({ url: url.trim() || null, token: token.trim() || null, enabled }));
      setSettings(saved);
      setToken('');
      notifications.show({ color: 'teal', message: t('sync.saved'), autoClose: 2000 });
      await refresh();
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };

  const detail = status ? syncDetail(t, status, format.number) : null;
  return (
    <Card withBorder padding="lg" component="section" aria-label={t('sync.title')} id="sync">
      <Title order={2} size="h4" mb="xs">
        {t('sync.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('sync.help')}
      </Text>
      <Stack gap="md">
        <TextInput label={t('sync.url')} description={t('sync.urlHelp')} placeholder="https://sync.agency.example" value={url} error={errors.url} onChange={(e) => setUrl(e.currentTarget.value)} maw={480} autoComplete="off" />
        <PasswordInput
          label={t('sync.token')}
          description={settings.tokenSet ? t('sync.tokenSaved') : t('sync.tokenHelp')}
          value={token}
          error={errors.token}
          onChange={(e) => setToken(e.currentTarget.value)}
          maw={480}
          autoComplete="off"
        />
        <Alert variant="light" color={settings.tokenStorage === 'system' ? 'gray' : 'yellow'} icon={settings.tokenStorage === 'system' ? <IconLock size={16} /> : <IconAlertTriangle size={16} />} maw={560}>
          <Text size="sm">{t(settings.tokenStorage === 'system' ? 'sync.storage.system' : 'sync.storage.database')}</Text>
        </Alert>
        <Group>
          <Button variant="default" leftSection={<IconPlugConnected size={16} />} loading={busy === 'test'} disabled={!url.trim()} onClick={() => void test()}>
            {t('sync.test')}
          </Button>
          <Switch label={t('sync.enabled')} checked={settings.enabled} disabled={busy !== null} onChange={(e) => void save(e.currentTarget.checked)} />
        </Group>
        {tested && (
          <Text size="sm" c="teal" role="status">
            {tested}
          </Text>
        )}
        {settings.enabled && (url.trim() !== (settings.url ?? '') || token.trim()) && (
          <Button w="fit-content" loading={busy === 'save'} onClick={() => void save(true)}>
            {t('common.save')}
          </Button>
        )}
        {status && status.state !== 'off' && (
          <Stack gap={4}>
            <Group gap="sm">
              <Text fw={600} c={status.state === 'error' ? 'red' : undefined}>
                {syncHeadline(t, status, format)}
              </Text>
              <Button size="compact-sm" variant="light" loading={status.state === 'syncing'} onClick={() => void syncNow()}>
                {t('sync.now')}
              </Button>
            </Group>
            <Text size="sm" c="dimmed">
              {status.lastSyncedAt ? t('sync.lastSynced', { time: dateTime(status.lastSyncedAt) }) : t('sync.never')}
              {status.nextAttemptAt && status.state === 'offline' ? ` · ${t('sync.retryAt', { time: dateTime(status.nextAttemptAt) })}` : ''}
            </Text>
            {detail && (
              <Text size="sm" c={status.problem ? 'red' : 'dimmed'}>
                {detail}
              </Text>
            )}
            {syncNotes(t, status).map((note) =>
              note.link ? (
                <Anchor key={note.text} size="sm" c="orange" href={`#${note.link}`}>
                  {note.text}
                </Anchor>
              ) : (
                <Text key={note.text} size="sm" c="orange">
                  {note.text}
                </Text>
              ),
            )}
          </Stack>
        )}
        <Group gap="xl">
          {settings.team && (
            <div>
              <Text size="xs" c="dimmed">
                {t('sync.team')}
              </Text>
              <Text size="sm">{settings.userEmail ? `${settings.team} · ${settings.userEmail}` : settings.team}</Text>
            </div>
          )}
          <div>
            <Text size="xs" c="dimmed">
              {t('sync.device')}
            </Text>
            <Code>{settings.deviceId}</Code>
          </div>
        </Group>
      </Stack>
    </Card>
  );
}
