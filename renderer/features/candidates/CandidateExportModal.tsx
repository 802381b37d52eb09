import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconFileSpreadsheet } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { candidateExportColumns } from '../../../contract/candidates';
import { useT, type MessageKey } from '../../i18n';
import { api, errorText, must } from '../../lib/api';
import { FileResult } from '../transfer/FileResult';
import { TaskProgress } from '../transfer/TaskProgress';
import { useTask } from '../transfer/useTask';
import type { CandidateQuery } from './store';

type Delimiter = ',' | ';' | '\t';

/** Exports the candidates of the current search and filters, in the list's order, as CSV or Excel, with progress. */
export function CandidateExportModal({ opened, query, onClose }: { opened: boolean; query: CandidateQuery; onClose: () => void }) {
  const t = useT();
  const [fileFormat, setFileFormat] = useState<'csv' | 'xlsx'>('csv');
  const [delimiter, setDelimiter] = useState<Delimiter>(',');
  const { task, error, follow, cancel, reset, setError } = useTask();
  useEffect(() => {
    if (opened) reset();
  }, [opened, reset]);

  const start = async () => {
    try {
      const { taskId } = await must(
        api().exports.candidates({
          filter: { search: query.search, sources: query.sources, tags: query.tags, ownerIds: query.ownerIds },
          format: fileFormat,
          delimiter,
          headers: Object.fromEntries(candidateExportColumns.map((key) => [key, t(`candidates.export.col.${key}` as MessageKey)])),
          baseName: `${t('candidates.export.fileName')}-${new Date().toISOString().slice(0, 10)}`,
        }),
      );
      await follow(taskId);
    } catch (failure) {
      setError(failure);
    }
  };
  const running = task?.state === 'running';
  const result = task?.state === 'done' && task.result?.kind === 'export' ? task.result : null;
  const close = () => {
    if (running) void cancel();
    if (result) void api().files.discard({ fileId: result.file.fileId });
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={t('candidates.export.title')} centered>
      <Stack gap="md">
        {!task && (
          <>
            <Text size="sm" c="dimmed">
              {t('candidates.export.scope')}
            </Text>
            <SegmentedControl
              value={fileFormat}
              onChange={(v) => setFileFormat(v as 'csv' | 'xlsx')}
              data={[
                { value: 'csv', label: t('export.format.csv') },
                { value: 'xlsx', label: t('export.format.xlsx') },
              ]}
            />
            {fileFormat === 'csv' && (
              <Select
                label={t('export.delimiter')}
                value={delimiter}
                onChange={(v) => v && setDelimiter(v as Delimiter)}
                allowDeselect={false}
                data={[
                  { value: ',', label: t('export.delimiter.comma') },
                  { value: ';', label: t('export.delimiter.semicolon') },
                  { value: '\t', label: t('export.delimiter.tab') },
                ]}
              />
            )}
          </>
        )}
        {running && <TaskProgress task={task} label={t('candidates.export.title')} onCancel={() => void cancel()} />}
        {task?.state === 'cancelled' && <Alert color="gray">{t('transfer.cancelled')}</Alert>}
        {(task?.state === 'failed' || Boolean(error)) && (
          <Alert color="red" icon={<IconAlertTriangle />} title={t('transfer.failed')}>
            {errorText(t, task?.error ?? error)}
          </Alert>
        )}
        {result && <FileResult file={result.file} message={t('export.finished', { count: result.rows })} />}
        <Group justify="flex-end">
          {task && !running ? (
            <Button onClick={close}>{t('transfer.done')}</Button>
          ) : (
            <>
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              {!task && (
                <Button leftSection={<IconFileSpreadsheet size={16} />} onClick={() => void start()}>
                  {t('candidates.export.start')}
                </Button>
              )}
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
