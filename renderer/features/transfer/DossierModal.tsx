import { Alert, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconFileZip } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useFormat, useT } from '../../i18n';
import { api, errorText, must } from '../../lib/api';
import { FileResult } from './FileResult';
import { formatSize } from '../../lib/intl';
import { TaskActions } from './ExportShell';
import { TaskProgress } from './TaskProgress';
import { useTask } from './useTask';

/** A re-importable backup zip of one client (from its page) or of every client (from the clients list). */
export function DossierModal({ opened, client, onClose }: { opened: boolean; client: { id: string; companyName: string } | null; onClose: () => void }) {
  const t = useT();
  const format = useFormat();
  const { task, error, follow, cancel, reset, setError } = useTask();

  useEffect(() => {
    if (opened) reset();
  }, [opened, reset]);

  const start = async () => {
    try {
      const { taskId } = await must(api().exports.dossier({ clientId: client?.id ?? null }));
      await follow(taskId);
    } catch (failure) {
      setError(failure);
    }
  };

  const title = client ? t('dossier.title') : t('dossier.titleAll');
  const running = task?.state === 'running';
  const result = task?.state === 'done' && task.result?.kind === 'dossier' ? task.result : null;
  // The output stays in main only while the modal is open (to save or download it again).
  const close = () => {
    if (running) void cancel();
    if (result) void api().files.discard({ fileId: result.file.fileId });
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={title} size="md" centered>
      <Stack gap="md">
        <Text size="sm">{client ? t('dossier.body', { name: client.companyName }) : t('dossier.bodyAll')}</Text>
        {running && <TaskProgress task={task} label={title} onCancel={() => void cancel()} />}
        {task?.state === 'cancelled' && <Alert color="gray">{t('transfer.cancelled')}</Alert>}
        {(task?.state === 'failed' || Boolean(error)) && (
          <Alert color="red" icon={<IconAlertTriangle />} title={t('transfer.failed')}>
            {errorText(t, task?.error ?? error)}
          </Alert>
        )}
        {result && (
          <FileResult
            file={result.file}
            message={
              client
                ? t('dossier.finishedOne', { size: formatSize(result.file.sizeBytes, format.locale) })
                : t('dossier.finished', { clients: format.number(result.clients), documents: format.number(result.documents), size: formatSize(result.file.sizeBytes, format.locale) })
            }
          />
        )}
        <TaskActions task={task} onClose={close} startLabel={t('transfer.export')} startIcon={<IconFileZip size={16} />} onStart={() => void start()} />
      </Stack>
    </Modal>
  );
}
