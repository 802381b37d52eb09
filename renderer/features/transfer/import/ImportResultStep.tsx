import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconDownload } from '@tabler/icons-react';
import { useAppStore } from '../../../app/store';
import { useT } from '../../../i18n';
import { errorText, notifyError } from '../../../lib/api';
import { deliverFile } from '../files';
import { TaskProgress } from '../TaskProgress';
import { SummaryGrid } from './ImportSummaryGrid';
import type { ImportWizard } from './useImportWizard';

/** Step 4: the import's progress (it can be cancelled), then its counts and the report of the rows to look at. */
export function ImportResultStep({ wizard }: { wizard: ImportWizard }) {
  const t = useT();
  const { run, resetAll, close } = wizard;
  return (
    <Stack gap="md">
      {run.task?.state === 'running' && <TaskProgress task={run.task} label={t('import.running')} onCancel={() => void run.cancel()} />}
      {(Boolean(run.error) || run.task?.state === 'failed') && (
        <Alert color="red" icon={<IconAlertTriangle />} title={t('transfer.failed')}>
          {errorText(t, run.task?.error ?? run.error)}
        </Alert>
      )}
      <RunReport wizard={wizard} />
      <Group justify="flex-end">
        {run.task?.state !== 'running' && (
          <>
            <Button variant="default" onClick={resetAll}>
              {t('import.another')}
            </Button>
            <Button onClick={close}>{t('transfer.done')}</Button>
          </>
        )}
      </Group>
    </Stack>
  );
}

/** The finished (or cancelled) run's counts, and the report file of the rows not imported or saved with warnings. */
function RunReport({ wizard }: { wizard: ImportWizard }) {
  const t = useT();
  const shell = useAppStore((s) => s.info?.shell ?? 'browser');
  const { run } = wizard;
  const runResult = run.task?.result?.kind === 'import' ? run.task.result : null;
  if (!runResult) return null;
  const report = runResult.report;
  return (
    <Alert color={runResult.summary.rejected ? 'yellow' : 'teal'} title={run.task?.state === 'cancelled' ? t('import.cancelledPartial') : t('import.finished')}>
      <SummaryGrid summary={runResult.summary} />
      {report && (
        <Stack gap={4} mt="md">
          <Group>
            <Button size="xs" variant="light" leftSection={<IconDownload size={14} />} onClick={() => void deliverFile(report, shell).catch((error: unknown) => notifyError(t, error))}>
              {shell === 'browser' ? t('import.report', { count: runResult.summary.reported }) : t('import.reportSave', { count: runResult.summary.reported })}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('import.reportHint')}
          </Text>
        </Stack>
      )}
    </Alert>
  );
}
