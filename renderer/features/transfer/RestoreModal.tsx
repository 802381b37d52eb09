import { Alert, Button, Group, List, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { StagedFile } from '../../../contract/transfer';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, errorText, must } from '../../lib/api';
import { FilePicker } from './FilePicker';
import { formatSize } from '../../lib/intl';
import { TaskActions } from './ExportShell';
import { TaskProgress } from './TaskProgress';
import classes from './Transfer.module.css';
import { useTask } from './useTask';

/** Restores a dossier or full backup zip; ids are kept, so what is already here stays as it is. */
export function RestoreModal({ opened, onClose, onRestored }: { opened: boolean; onClose: () => void; onRestored: () => void }) {
  const t = useT();
  const format = useFormat();
  const [file, setFile] = useState<StagedFile | null>(null);
  const { task, error, follow, cancel, reset, setError } = useTask();

  useEffect(() => {
    if (opened) {
      reset();
      setFile(null);
    }
  }, [opened, reset]);

  const start = async () => {
    if (!file) return;
    try {
      const { taskId } = await must(api().imports.restore({ fileId: file.fileId }));
      const finished = await follow(taskId);
      if (finished?.result) onRestored();
    } catch (failure) {
      setError(failure);
    }
  };

  const running = task?.state === 'running';
  const summary = task?.result?.kind === 'restore' ? task.result.summary : null;
  const close = () => {
    if (running) void cancel();
    if (file) void api().files.discard({ fileId: file.fileId });
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={t('restore.title')} size="lg" centered>
      <Stack gap="md">
        {!task && (
          <>
            <Text size="sm">{t('restore.body')}</Text>
            {file ? (
              <Group justify="space-between" className={classes.stat}>
                <Text size="sm" fw={500}>
                  {file.fileName} · {formatSize(file.sizeBytes, format.locale)}
                </Text>
                <Button variant="subtle" size="xs" onClick={() => setFile(null)}>
                  {t('import.changeFile')}
                </Button>
              </Group>
            ) : (
              <FilePicker filter="backup" accept=".zip,application/zip" hint="" onPicked={setFile} />
            )}
          </>
        )}
        {running && <TaskProgress task={task} label={t('restore.title')} onCancel={() => void cancel()} />}
        {(task?.state === 'failed' || Boolean(error)) && (
          <Alert color="red" icon={<IconAlertTriangle />} title={t('transfer.failed')}>
            {errorText(t, task?.error ?? error)}
          </Alert>
        )}
        {summary && (
          <Alert color={summary.conflicts.length ? 'yellow' : 'teal'} icon={<IconCircleCheck />} title={task?.state === 'cancelled' ? t('transfer.cancelled') : t('restore.finished')}>
            <SimpleGrid cols={3} spacing="xs" mt="xs">
              {(
                [
                  ['restore.restored', summary.restored],
                  ['restore.alreadyPresent', summary.alreadyPresent],
                  ['restore.contacts', summary.contacts],
                  ['restore.events', summary.events],
                  ['restore.jobs', summary.jobs],
                  ['restore.documents', summary.documents],
                  // A backup made before candidates existed has none: their counts are not shown.
                  ...(summary.candidates.total
                    ? [
                        ['restore.candidates', summary.candidates.restored],
                        ['restore.candidatesPresent', summary.candidates.alreadyPresent],
                        ['restore.candidateDocuments', summary.candidates.documents],
                        ['restore.applications', summary.candidates.applications],
                        ['restore.placements', summary.candidates.placements],
                      ]
                    : []),
                ] as [MessageKey, number][]
              ).map(([key, value]) => (
                <div key={key}>
                  <Text size="xs" c="dimmed">
                    {t(key)}
                  </Text>
                  <Text fw={600}>{format.number(value)}</Text>
                </div>
              ))}
            </SimpleGrid>
            {summary.conflicts.length > 0 && (
              <>
                <Text size="sm" fw={500} mt="sm">
                  {t('restore.conflicts', { count: format.number(summary.conflicts.length) })}
                </Text>
                <List size="sm" mt={4}>
                  {summary.conflicts.slice(0, 20).map((c, i) => (
                    <List.Item key={`${c.code}-${i}`}>
                      {c.code} {c.companyName}: {t(`restore.conflict.${c.reason}` as MessageKey)}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Alert>
        )}
        <TaskActions task={task} onClose={close} startLabel={t('restore.start')} canStart={Boolean(file)} onStart={() => void start()} />
      </Stack>
    </Modal>
  );
}
