import { Alert, Button, Group, Loader, Radio, Stack, Switch, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { duplicateModes, type DuplicateMode } from '../../../../contract/transfer';
import { useT, type MessageKey } from '../../../i18n';
import { errorText } from '../../../lib/api';
import { TaskProgress } from '../TaskProgress';
import { PreviewCounts, PreviewTable } from './ImportPreview';
import { SummaryGrid } from './ImportSummaryGrid';
import { importSteps, type Analysis, type ImportWizard } from './useImportWizard';

/**
 * Step 3: how duplicates are handled and how strictly values are read, the first rows checked exactly as they
 * would be imported, an optional dry run over every row, and the start of the import.
 */
export function ImportCheckStep({ wizard, analysis }: { wizard: ImportWizard; analysis: Analysis }) {
  const t = useT();
  const { target, mode, setMode, strict, setStrict, dry, setStep, start } = wizard;
  return (
    <Stack gap="md">
      <Radio.Group
        label={target === 'clients' ? t('import.duplicates') : target === 'candidates' ? t('import.duplicatesCandidates') : t('import.duplicatesContacts')}
        value={mode}
        onChange={(v) => {
          setMode(v as DuplicateMode);
          dry.reset();
        }}
      >
        <Stack gap={6} mt="xs">
          {duplicateModes
            .filter((m) => target === 'clients' || m !== 'create')
            .map((m) => (
              <Radio key={m} value={m} label={t(`import.mode.${m}`)} description={t(`import.mode.${m}Hint` as MessageKey)} />
            ))}
        </Stack>
      </Radio.Group>
      <Switch
        checked={strict}
        onChange={(e) => {
          setStrict(e.currentTarget.checked);
          dry.reset();
        }}
        label={t('import.strict')}
        description={t('import.strictHint')}
      />
      <PreviewSection wizard={wizard} analysis={analysis} />
      <DryRunState wizard={wizard} />
      <Group justify="space-between">
        <Button variant="default" onClick={() => setStep(importSteps.columns)}>
          {t('import.back')}
        </Button>
        <Group gap="xs">
          <Button variant="default" loading={dry.task?.state === 'running'} onClick={() => void start(true)}>
            {t('import.dryRun')}
          </Button>
          <Button disabled={dry.task?.state === 'running'} onClick={() => void start(false)}>
            {t('import.start', { count: analysis.rowCount })}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

/** The preview of the first rows: loading, its error, or its counts and table. */
function PreviewSection({ wizard, analysis }: { wizard: ImportWizard; analysis: Analysis }) {
  const t = useT();
  const { preview, previewError, mapping, target } = wizard;
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        {t('import.preview')}
      </Text>
      {analysis.emptyRows > 0 && (
        <Text size="xs" c="dimmed" mb={4}>
          {t('import.emptyRows', { count: analysis.emptyRows, lines: analysis.emptyLines.join(', ') + (analysis.emptyRows > analysis.emptyLines.length ? '…' : '') })}
        </Text>
      )}
      {previewError ? (
        <Alert color="red" icon={<IconAlertTriangle />}>
          {errorText(t, previewError)}
        </Alert>
      ) : !preview ? (
        <Group justify="center" p="lg">
          <Loader size="sm" />
        </Group>
      ) : (
        <>
          <PreviewCounts rows={preview.rows} />
          <PreviewTable rows={preview.rows} mapping={mapping} target={target} />
        </>
      )}
    </div>
  );
}

/** A dry run's progress, its counts once done, or why it failed. */
function DryRunState({ wizard }: { wizard: ImportWizard }) {
  const t = useT();
  const { dry } = wizard;
  const dryResult = dry.task?.result?.kind === 'import' ? dry.task.result.summary : null;
  return (
    <>
      {dry.task?.state === 'running' && <TaskProgress task={dry.task} label={t('import.checking')} onCancel={() => void dry.cancel()} />}
      {dryResult && dry.task?.state === 'done' && (
        <Alert color="blue" icon={<IconInfoCircle />} title={t('import.dryRunDone')}>
          <SummaryGrid summary={dryResult} />
        </Alert>
      )}
      {(Boolean(dry.error) || dry.task?.state === 'failed') && (
        <Alert color="red" icon={<IconAlertTriangle />}>
          {errorText(t, dry.task?.error ?? dry.error)}
        </Alert>
      )}
    </>
  );
}
