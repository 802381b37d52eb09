import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconFileSpreadsheet } from '@tabler/icons-react';
import { useEffect, type ReactNode } from 'react';
import { useT } from '../../i18n';
import { api, errorText } from '../../lib/api';
import { FileResult } from './FileResult';
import { TaskProgress } from './TaskProgress';
import { useTask } from './useTask';

// The modal of a list's export (clients, candidates): the feature names its options and starts its task; the
// shell runs it with progress and cancel, says how it ended, offers the file, and discards it on close.

export type ExportFormat = 'csv' | 'xlsx';
export type Delimiter = ',' | ';' | '\t';

/** The export task of a modal: reset when it opens; `close` cancels a running one and lets go of the file made. */
export function useExportTask(opened: boolean, onClose: () => void) {
  const { task, error, follow, cancel, reset, setError } = useTask();
  useEffect(() => {
    if (opened) reset();
  }, [opened, reset]);
  const running = task?.state === 'running';
  const result = task?.state === 'done' && task.result?.kind === 'export' ? task.result : null;
  const run = async (start: () => Promise<{ taskId: string }>) => {
    try {
      await follow((await start()).taskId);
    } catch (failure) {
      setError(failure);
    }
  };
  // The output stays in main only while the modal is open (to save or download it again).
  const close = () => {
    if (running) void cancel();
    if (result) void api().files.discard({ fileId: result.file.fileId });
    onClose();
  };
  return { task, error, running, result, run, cancel, close };
}

/** File format and, for CSV, the separator; `hints` adds the format's label and a line on what each format suits. */
export function ExportFormatFields({
  format,
  onFormat,
  delimiter,
  onDelimiter,
  hints = false,
}: {
  format: ExportFormat;
  onFormat: (format: ExportFormat) => void;
  delimiter: Delimiter;
  onDelimiter: (delimiter: Delimiter) => void;
  hints?: boolean;
}) {
  const t = useT();
  const control = (
    <SegmentedControl
      value={format}
      onChange={(v) => onFormat(v as ExportFormat)}
      data={[
        { value: 'csv', label: t('export.format.csv') },
        { value: 'xlsx', label: t('export.format.xlsx') },
      ]}
    />
  );
  return (
    <>
      {hints ? (
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('export.format')}
          </Text>
          {control}
          <Text size="xs" c="dimmed" mt={4}>
            {format === 'csv' ? t('export.csvHint') : t('export.xlsxHint')}
          </Text>
        </div>
      ) : (
        control
      )}
      {format === 'csv' && (
        <Select
          label={t('export.delimiter')}
          value={delimiter}
          onChange={(v) => v && onDelimiter(v as Delimiter)}
          allowDeselect={false}
          data={[
            { value: ',', label: t('export.delimiter.comma') },
            { value: ';', label: t('export.delimiter.semicolon') },
            { value: '\t', label: t('export.delimiter.tab') },
          ]}
        />
      )}
    </>
  );
}

/** A background task's buttons: Cancel and the start before it runs, Cancel while it runs, Done once it ended. */
export function TaskActions({
  task,
  onClose,
  startLabel,
  startIcon,
  canStart = true,
  onStart,
}: {
  task: { state: string } | null;
  onClose: () => void;
  startLabel: string;
  startIcon?: ReactNode;
  canStart?: boolean;
  onStart: () => void;
}) {
  const t = useT();
  if (task && task.state !== 'running') {
    return (
      <Group justify="flex-end">
        <Button onClick={onClose}>{t('transfer.done')}</Button>
      </Group>
    );
  }
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        {t('common.cancel')}
      </Button>
      {!task && (
        <Button leftSection={startIcon} disabled={!canStart} onClick={onStart}>
          {startLabel}
        </Button>
      )}
    </Group>
  );
}

export function ExportShell({
  exporter,
  opened,
  title,
  size,
  scope,
  options,
  startLabel,
  canStart = true,
  onStart,
}: {
  exporter: ReturnType<typeof useExportTask>;
  opened: boolean;
  title: string;
  size?: string;
  /** Shown throughout (what the export holds). */
  scope?: ReactNode;
  /** Shown until the export starts. */
  options: ReactNode;
  startLabel: string;
  canStart?: boolean;
  onStart: () => void;
}) {
  const t = useT();
  const { task, error, running, result, cancel, close } = exporter;
  return (
    <Modal opened={opened} onClose={close} title={title} size={size} centered>
      <Stack gap="md">
        {scope}
        {!task && options}
        {running && <TaskProgress task={task} label={title} onCancel={() => void cancel()} />}
        {task?.state === 'cancelled' && <Alert color="gray">{t('transfer.cancelled')}</Alert>}
        {(task?.state === 'failed' || Boolean(error)) && (
          <Alert color="red" icon={<IconAlertTriangle />} title={t('transfer.failed')}>
            {errorText(t, task?.error ?? error)}
          </Alert>
        )}
        {result && <FileResult file={result.file} message={t('export.finished', { count: result.rows })} />}
        <TaskActions task={task} onClose={close} startLabel={startLabel} startIcon={<IconFileSpreadsheet size={16} />} canStart={canStart} onStart={onStart} />
      </Stack>
    </Modal>
  );
}
