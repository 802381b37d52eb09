import { Alert, Badge, Button, Card, Code, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDatabaseExport, IconRestore } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { Backup, BackupStatus } from '../../../contract/backups';
import { useFormat, useT, type MessageKey, type Translate } from '../../i18n';
import { ApiFailure, api, must, notifyError } from '../../lib/api';
import { ConfirmModal } from '../../lib/ConfirmModal';
import { formatSize } from '../../lib/intl';
import { backupFailureText, restoredKey } from './backupNotices';

/** A refused or failed restore, in the user's words. */
function restoreErrorText(t: Translate, error: unknown): string | null {
  if (!(error instanceof ApiFailure)) return null;
  const code = error.error.fields?.find((f) => f.path === 'id')?.message;
  return code ? t(`backups.error.${code}` as MessageKey) : null;
}

export function BackupsSection() {
  const t = useT();
  const format = useFormat();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [creating, setCreating] = useState(false);
  const [confirming, setConfirming] = useState<Backup | null>(null);
  const [restoring, setRestoring] = useState(false);

  const load = useCallback(async () => {
    try {
      setStatus(await must(api().backups.list({})));
    } catch (error) {
      notifyError(t, error);
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  const backUpNow = async () => {
    setCreating(true);
    try {
      const { backup, status: next } = await must(api().backups.create({}));
      setStatus(next);
      if (backup) notifications.show({ color: 'teal', message: t('backups.done', { size: formatSize(backup.sizeBytes, format.locale) }), autoClose: 3000 });
    } catch (error) {
      notifyError(t, error);
    } finally {
      setCreating(false);
    }
  };

  const restore = async (backup: Backup) => {
    setConfirming(null);
    setRestoring(true);
    try {
      await must(api().backups.restore({ id: backup.id }));
      window.sessionStorage.setItem(restoredKey, backup.createdAt);
      // Every screen's data came from the database that was just replaced: start the window again.
      window.location.reload();
    } catch (error) {
      setRestoring(false);
      const text = restoreErrorText(t, error);
      if (text) notifications.show({ color: 'red', title: t('error.title'), message: text, autoClose: 10_000 });
      else notifyError(t, error);
      void load();
    }
  };

  const kindColor: Record<Backup['kind'], string> = { daily: 'blue', manual: 'grape', before_restore: 'orange' };

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
        <Title order={2} size="h4">
          {t('backups.title')}
        </Title>
        <Button size="xs" leftSection={creating || status?.running ? <Loader size={12} /> : <IconDatabaseExport size={14} />} onClick={() => void backUpNow()} disabled={creating || restoring}>
          {creating ? t('backups.running') : t('backups.now')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('backups.help')}
      </Text>
      {status && (
        <Stack gap="md">
          <div>
            <Text size="sm" c="dimmed">
              {t('backups.folder')}
            </Text>
            <Code style={{ overflowWrap: 'anywhere' }}>{status.folder}</Code>
          </div>
          {status.lastFailure && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={t('backups.failed.title', { date: format.dateTime(status.lastFailure.at) })}>
              {backupFailureText(t, status.lastFailure)}
            </Alert>
          )}
          {status.backups.length === 0 ? (
            // With a failure above, "the first one is taken shortly" would not be true.
            !status.lastFailure && (
              <Text size="sm" c="dimmed" fs="italic">
                {t('backups.empty')}
              </Text>
            )
          ) : (
            <Table verticalSpacing="xs" aria-label={t('backups.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('backups.when')}</Table.Th>
                  <Table.Th>{t('backups.kind')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('backups.size')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {status.backups.map((backup) => (
                  <Table.Tr key={backup.id}>
                    <Table.Td>
                      <Text size="sm">{format.dateTime(backup.createdAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={kindColor[backup.kind]}>
                        {t(`backups.kind.${backup.kind}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>
                      <Text size="sm" c="dimmed">
                        {formatSize(backup.sizeBytes, format.locale)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        leftSection={<IconRestore size={12} />}
                        onClick={() => setConfirming(backup)}
                        disabled={restoring}
                        aria-label={t('backups.restoreLabel', { date: format.dateTime(backup.createdAt) })}
                      >
                        {t('backups.restore')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
      <ConfirmModal
        opened={confirming !== null}
        title={t('backups.confirm.title')}
        body={confirming ? t('backups.confirm.body', { date: format.dateTime(confirming.createdAt) }) : ''}
        confirmLabel={t('backups.confirm.ok')}
        color="orange"
        onConfirm={() => confirming && void restore(confirming)}
        onClose={() => setConfirming(null)}
      />
      <Modal opened={restoring} onClose={() => undefined} withCloseButton={false} closeOnEscape={false} closeOnClickOutside={false} centered size="sm">
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{t('backups.restoring')}</Text>
        </Group>
      </Modal>
    </Card>
  );
}
