import { Alert, Badge, Button, Group, Loader, Modal, Radio, ScrollArea, Select, SegmentedControl, SimpleGrid, Stack, Stepper, Switch, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { duplicateReasons, fieldErrorCodes, type FieldErrorCode, type FieldIssue, type Output } from '../../../contract';
import { clientStatuses, type ClientStatus } from '../../../contract/clients';
import {
  duplicateModes, importFields, importSkipReasons, importWarningActions, mappableValueFields, requiredImportFields,
  type MappableValueField, type DuplicateMode, type ImportField, type ImportRowCheck, type ImportSummary, type ImportTarget, type ImportWarning, type StagedFile,
} from '../../../contract/transfer';
import { useAppStore, useAreaLabel } from '../../app/store';
import { translator, useFormat, useT, type MessageKey, type Translate } from '../../i18n';
import { api, errorText, fieldErrorText, must, notifyError } from '../../lib/api';
import { FilePicker } from './FilePicker';
import { deliverFile } from './files';
import { TaskProgress } from './TaskProgress';
import classes from './Transfer.module.css';
import { useTask } from './useTask';

type Analysis = Output<'imports.analyze'>;
type Defaults = { areaId: string | null; status: ClientStatus; ownerId: string | null };
type ValueMap = { area: Record<string, string>; status: Record<string, ClientStatus>; owner: Record<string, string> };
const emptyValueMap: ValueMap = { area: {}, status: {}, owner: {} };

const outcomeColors: Record<ImportRowCheck['outcome'], string> = { create: 'teal', update: 'blue', contact: 'cyan', skip: 'gray', reject: 'red' };
const importErrorCodes = new Set<FieldErrorCode>(['unknown_area', 'unknown_status', 'unknown_user', 'inactive_user', 'unknown_client', 'ambiguous_client', 'several_matches', 'invalid_flag', 'continues_rejected']);
/** Problems an optional value may have, in few words for a warning (the import.problem.* texts). */
const problemCodes = new Set<FieldErrorCode>([
  'required', 'invalid_email', 'invalid_url', 'invalid_phone', 'invalid_number', 'integer', 'max', 'min', 'max_value', 'invalid_date', 'future_date',
  'unknown_country', 'unknown_status', 'unknown_user', 'inactive_user', 'several_emails', 'contact_row', 'invalid_flag', 'invalid',
]);

/** Problems only an import finds (a strict run rejects for them): no form sentence says them. */
const importOnlyProblems = new Set<FieldErrorCode>(['invalid_date', 'future_date', 'unknown_country', 'several_emails', 'contact_row']);

/** A field error in the user's words: "Email: Enter a valid email address…". */
function issueText(t: Translate, issue: FieldIssue): string {
  const message = importErrorCodes.has(issue.message)
    ? t(`import.error.${issue.message}` as MessageKey, issue.params)
    : importOnlyProblems.has(issue.message)
      ? problemText(t, issue)
      : fieldErrorText(t, issue);
  return `${fieldName(t, issue.path)}: ${message}`;
}

/** What is wrong with an optional value, in few words: "not a valid phone number". */
function problemText(t: Translate, issue: Pick<FieldIssue, 'message' | 'params'>): string {
  return problemCodes.has(issue.message) ? t(`import.problem.${issue.message}` as MessageKey, issue.params) : t('import.problem.invalid');
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A field as a message names it: "Country", where the mapping says "Country (for phone numbers)". */
const fieldName = (t: Translate, field: string) => t(field === 'country' ? 'import.field.countryShort' : (`import.field.${field}` as MessageKey));

/** "Phone: not a valid phone number (“-1199”) — left empty". */
function warningText(t: Translate, w: ImportWarning): string {
  return t('import.note.value', { field: fieldName(t, w.path), problem: problemText(t, w), value: shorten(w.value.replace(/\s+/g, ' '), 60), action: t(`import.action.${w.action}`) });
}

/** The words the rejected-rows report is written in, from this language's dictionary. */
function reportWords(t: Translate, fields: readonly ImportField[], target: ImportTarget = 'clients'): Record<string, string> {
  const words: Record<string, string> = {
    'header.line': t('import.report.line'),
    'header.result': t('import.report.result'),
    'header.reason': t('import.report.reason'),
    'outcome.create': t('import.report.create'),
    'outcome.update': t('import.report.update'),
    'outcome.contact': t('import.report.contact'),
    'outcome.reject': t('import.report.reject'),
    'outcome.skip': t('import.report.skip'),
    'report.fileSuffix': t('import.report.fileSuffix'),
    'reason.duplicate': t('import.note.duplicate'),
    'reason.same_as_line': t('import.note.sameAsLine'),
    'reason.existing_contact': t('validation.duplicate_contact'),
    'reason.continues_skipped': t('import.note.continuesSkipped'),
    'reason.possible_duplicates': t('import.report.possibleDuplicates'),
    'reason.similar_lines': t('import.report.similarLines'),
    warning: t('import.report.warning'),
    'note.imported': t('import.history.imported'),
    'note.updated': t('import.history.updated'),
    'note.notImported': t('import.history.notImported'),
    'note.contactFrom': t('import.history.contactFrom'),
  };
  for (const reason of duplicateReasons) words[`match.${reason}`] = t(`duplicates.reason.${reason}` as MessageKey);
  // People match by the same-person rule's reasons (contract/people.ts).
  if (target === 'candidates') for (const reason of ['email', 'name', 'phone', 'name_company']) words[`match.${reason}`] = t(`candidates.reason.${reason}` as MessageKey);
  for (const reason of importSkipReasons) words[`reason.${reason}`] = t(`import.note.${reason}`);
  for (const action of importWarningActions) words[`action.${action}`] = t(`import.action.${action}`);
  for (const field of fields) words[`field.${field}`] = fieldName(t, field);
  // Templates: main fills each code's params ("at most {max} characters").
  for (const code of fieldErrorCodes) words[`error.${code}`] = t(`validation.${code}`);
  for (const code of importErrorCodes) words[`error.${code}`] = t(`import.error.${code}` as MessageKey);
  for (const code of importOnlyProblems) words[`error.${code}`] = problemText(t, { message: code });
  for (const code of problemCodes) words[`problem.${code}`] = t(`import.problem.${code}` as MessageKey);
  return words;
}

/**
 * The import wizard: a file, its columns mapped to fields (guessed from the headers), the first rows checked
 * exactly as they would be imported with the chosen duplicate handling, an optional dry run over every row,
 * then the import with progress and a report of the rows that were not imported.
 */
export function ImportModal({ opened, onClose, onImported, initialTarget = 'clients' }: { opened: boolean; onClose: () => void; onImported: () => void; initialTarget?: ImportTarget }) {
  const t = useT();
  const format = useFormat();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const shell = useAppStore((s) => s.info?.shell ?? 'browser');
  const areaLabel = useAreaLabel();
  const [step, setStep] = useState(0);
  const [target, setTarget] = useState<ImportTarget>(initialTarget);
  const [file, setFile] = useState<StagedFile | null>(null);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [mapping, setMapping] = useState<(ImportField | null)[]>([]);
  const [defaults, setDefaults] = useState<Defaults>({ areaId: null, status: 'active', ownerId: null });
  const [mode, setMode] = useState<DuplicateMode>('skip');
  const [strict, setStrict] = useState(false);
  const [valueMap, setValueMap] = useState<ValueMap>(emptyValueMap);
  const [preview, setPreview] = useState<Output<'imports.preview'> | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const dry = useTask();
  const run = useTask();

  const resetAll = useCallback(() => {
    setStep(0);
    setFile(null);
    setAnalysis(null);
    setMapping([]);
    setPreview(null);
    setFileError(null);
    setMode('skip');
    setStrict(false);
    setValueMap(emptyValueMap);
    dry.reset();
    run.reset();
    // dry and run are stable hooks; their reset functions never change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (opened) resetAll();
  }, [opened, resetAll]);

  // Statuses and built-in areas in every language the app speaks, so a Spanish file reads in an English UI.
  const aliases = useMemo(() => {
    const dictionaries = [translator('en'), translator('es')];
    return {
      statuses: Object.fromEntries(clientStatuses.map((s) => [s, dictionaries.map((d) => d(`status.${s}`))])),
      areas: Object.fromEntries(areas.filter((a) => a.key).map((a) => [a.id, dictionaries.map((d) => d(`area.${a.key}` as MessageKey))])),
    };
  }, [areas]);

  const options = useCallback(
    () => ({ fileId: file!.fileId, target, mapping, duplicateMode: mode, rejectUnreadable: strict, defaults, aliases, valueMap, reportText: reportWords(t, importFields[target], target) }),
    [file, target, mapping, mode, strict, defaults, aliases, valueMap, t],
  );

  const analyze = async (picked: StagedFile, kind: ImportTarget) => {
    setFileError(null);
    try {
      const result = await must(api().imports.analyze({ fileId: picked.fileId, target: kind }));
      setAnalysis(result);
      setMapping(result.mapping);
      setStep(1);
    } catch (error) {
      setFileError(errorText(t, error));
    }
  };

  const onPicked = (picked: StagedFile) => {
    if (file) void api().files.discard({ fileId: file.fileId });
    setFile(picked);
    void analyze(picked, target);
  };

  const loadPreview = useCallback(async () => {
    if (!file) return;
    setPreviewError(null);
    try {
      setPreview(await must(api().imports.preview({ ...options(), limit: 20 })));
    } catch (error) {
      setPreview(null);
      setPreviewError(error);
    }
  }, [file, options]);

  useEffect(() => {
    if (step === 2) void loadPreview();
  }, [step, loadPreview]);

  const fields = importFields[target] as readonly ImportField[];
  const required = requiredImportFields[target];
  const mapped = new Set(mapping.filter(Boolean));
  const missing = [...required.filter((f) => !mapped.has(f)), ...(target === 'clients' && !mapped.has('area') && !defaults.areaId ? (['area'] as ImportField[]) : [])];
  const twice = fields.filter((f) => mapping.filter((m) => m === f).length > 1);

  const start = async (dryRun: boolean) => {
    const tracker = dryRun ? dry : run;
    try {
      const { taskId } = await must(api().imports.start({ ...options(), dryRun }));
      if (!dryRun) setStep(3);
      const finished = await tracker.follow(taskId);
      if (!dryRun && finished?.result) onImported();
    } catch (error) {
      tracker.setError(error);
    }
  };

  const close = () => {
    if (run.task?.state === 'running') void run.cancel();
    if (dry.task?.state === 'running') void dry.cancel();
    if (file) void api().files.discard({ fileId: file.fileId });
    const report = run.task?.result?.kind === 'import' ? run.task.result.report : null;
    if (report) void api().files.discard({ fileId: report.fileId });
    onClose();
  };

  const fieldLabel = (f: ImportField) => `${t(`import.field.${f}` as MessageKey)}${required.includes(f) ? ' *' : ''}`;
  const sampleOf = (column: number) =>
    (analysis?.sample ?? [])
      .map((row) => row[column] ?? '')
      .filter(Boolean)
      .slice(0, 3)
      .join(' · ');

  const dryResult = dry.task?.result?.kind === 'import' ? dry.task.result.summary : null;
  const runResult = run.task?.result?.kind === 'import' ? run.task.result : null;

  return (
    <Modal opened={opened} onClose={close} title={t('import.title')} size="xl" centered closeOnClickOutside={false}>
      <Stepper active={step} size="sm" mb="lg" allowNextStepsSelect={false} onStepClick={(s) => run.task === null && s < step && setStep(s)}>
        <Stepper.Step label={t('import.step.file')} />
        <Stepper.Step label={t('import.step.columns')} />
        <Stepper.Step label={t('import.step.check')} />
        <Stepper.Step label={t('import.step.result')} />
      </Stepper>

      {step === 0 && (
        <Stack gap="md">
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('import.target')}
            </Text>
            <SegmentedControl
              value={target}
              onChange={(v) => setTarget(v as ImportTarget)}
              data={[
                { value: 'clients', label: t('import.target.clients') },
                { value: 'contacts', label: t('import.target.contacts') },
                { value: 'candidates', label: t('import.target.candidates') },
              ]}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {t(`import.targetHint.${target}`)}
            </Text>
          </div>
          <FilePicker filter="table" accept=".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" hint={t('import.formats')} onPicked={onPicked} />
          {fileError && (
            <Alert color="red" icon={<IconAlertTriangle />} title={t('import.fileError')}>
              {fileError}
            </Alert>
          )}
        </Stack>
      )}

      {step === 1 && analysis && (
        <Stack gap="md">
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {file?.fileName} ·{' '}
              {analysis.format === 'csv'
                ? t('import.detectedCsv', { encoding: (analysis.encoding ?? '').toUpperCase(), delimiter: analysis.delimiter === '\t' ? 'TAB' : (analysis.delimiter ?? ''), rows: format.number(analysis.rowCount) })
                : t('import.detected', { format: 'Excel', rows: format.number(analysis.rowCount) })}
            </Text>
            <Button variant="subtle" size="xs" onClick={() => setStep(0)}>
              {t('import.changeFile')}
            </Button>
          </Group>
          <Text size="sm">{t('import.mapping.help')}</Text>
          <ScrollArea.Autosize mah={340}>
            <Table verticalSpacing={6} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('import.mapping.column')}</Table.Th>
                  <Table.Th>{t('import.mapping.sample')}</Table.Th>
                  <Table.Th w={260}>{t('import.mapping.field')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {analysis.headers.map((header, column) => (
                  <Table.Tr key={`${header}-${column}`}>
                    <Table.Td fw={500}>{header}</Table.Td>
                    <Table.Td>
                      <div className={classes.sample} title={sampleOf(column)}>
                        {sampleOf(column) || '—'}
                      </div>
                    </Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        aria-label={t('import.mapping.field') + ': ' + header}
                        value={mapping[column] ?? ''}
                        allowDeselect={false}
                        onChange={(v) => setMapping((m) => m.map((f, i) => (i === column ? ((v || null) as ImportField | null) : f)))}
                        data={[{ value: '', label: t('import.mapping.ignore') }, ...fields.map((f) => ({ value: f, label: fieldLabel(f) }))]}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          {target === 'clients' && (
            <div>
              <Text size="sm" fw={500} mb={4}>
                {t('import.defaults')}
              </Text>
              <SimpleGrid cols={3}>
                <Select
                  label={t('import.defaults.area')}
                  value={defaults.areaId ?? ''}
                  allowDeselect={false}
                  onChange={(v) => setDefaults((d) => ({ ...d, areaId: v || null }))}
                  data={[{ value: '', label: t('import.defaults.areaNone') }, ...areas.filter((a) => a.active).map((a) => ({ value: a.id, label: areaLabel(a) }))]}
                />
                <Select
                  label={t('import.defaults.status')}
                  value={defaults.status}
                  allowDeselect={false}
                  onChange={(v) => v && setDefaults((d) => ({ ...d, status: v as ClientStatus }))}
                  data={clientStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
                />
                <Select
                  label={t('import.defaults.owner')}
                  value={defaults.ownerId ?? ''}
                  allowDeselect={false}
                  onChange={(v) => setDefaults((d) => ({ ...d, ownerId: v || null }))}
                  data={[{ value: '', label: t('import.defaults.ownerMe') }, ...users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))]}
                />
              </SimpleGrid>
            </div>
          )}
          {target === 'clients' &&
            mappableValueFields.map((field) =>
              mapping.includes(field) ? (
                <ValueMapping
                  key={`${field}-${mapping.indexOf(field)}`}
                  fileId={file!.fileId}
                  column={mapping.indexOf(field)}
                  field={field}
                  header={analysis.headers[mapping.indexOf(field)] ?? ''}
                  aliases={aliases}
                  chosen={valueMap[field]}
                  onChange={(value, answer) =>
                    setValueMap((m) => {
                      const next = { ...m[field] } as Record<string, string>;
                      if (answer) next[value] = answer;
                      else delete next[value];
                      return { ...m, [field]: next };
                    })
                  }
                />
              ) : null,
            )}
          {missing.length > 0 && (
            <Alert color="yellow" icon={<IconInfoCircle />}>
              {t('import.mapping.missing', { fields: missing.map((f) => t(`import.field.${f}` as MessageKey)).join(', ') })}
            </Alert>
          )}
          {twice.map((f) => (
            <Text key={f} size="xs" c="dimmed">
              {t('import.mapping.twice', { field: t(`import.field.${f}` as MessageKey) })}
            </Text>
          ))}
          <Group justify="space-between">
            <Button variant="default" onClick={() => setStep(0)}>
              {t('import.back')}
            </Button>
            <Button disabled={missing.length > 0} onClick={() => setStep(2)}>
              {t('import.next')}
            </Button>
          </Group>
        </Stack>
      )}

      {step === 2 && analysis && (
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

          <Group justify="space-between">
            <Button variant="default" onClick={() => setStep(1)}>
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
      )}

      {step === 3 && (
        <Stack gap="md">
          {run.task?.state === 'running' && <TaskProgress task={run.task} label={t('import.running')} onCancel={() => void run.cancel()} />}
          {(Boolean(run.error) || run.task?.state === 'failed') && (
            <Alert color="red" icon={<IconAlertTriangle />} title={t('transfer.failed')}>
              {errorText(t, run.task?.error ?? run.error)}
            </Alert>
          )}
          {runResult && (
            <Alert color={runResult.summary.rejected ? 'yellow' : 'teal'} title={run.task?.state === 'cancelled' ? t('import.cancelledPartial') : t('import.finished')}>
              <SummaryGrid summary={runResult.summary} />
              {runResult.report && (
                <Stack gap={4} mt="md">
                  <Group>
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconDownload size={14} />}
                      onClick={() => void deliverFile(runResult.report!, shell).catch((error: unknown) => notifyError(t, error))}
                    >
                      {shell === 'browser'
                        ? t('import.report', { count: runResult.summary.reported })
                        : t('import.reportSave', { count: runResult.summary.reported })}
                    </Button>
                  </Group>
                  <Text size="xs" c="dimmed">
                    {t('import.reportHint')}
                  </Text>
                </Stack>
              )}
            </Alert>
          )}
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
      )}
    </Modal>
  );
}

function SummaryGrid({ summary }: { summary: ImportSummary }) {
  const t = useT();
  const format = useFormat();
  const items: [MessageKey, number, string][] = [
    ['import.summary.created', summary.created, 'teal'],
    ['import.summary.updated', summary.updated, 'blue'],
    ...(summary.contacts ? [['import.summary.contacts', summary.contacts, 'cyan'] as [MessageKey, number, string]] : []),
    ['import.summary.skipped', summary.skipped, 'gray'],
    ['import.summary.rejected', summary.rejected, 'red'],
  ];
  return (
    <Stack gap="xs" mt="xs">
      <SimpleGrid cols={items.length} spacing="xs">
        {items.map(([key, value, color]) => (
          <div key={key} className={classes.stat}>
            <Text size="xs" c="dimmed">
              {t(key)}
            </Text>
            <Text fw={700} size="lg" c={value ? color : undefined}>
              {format.number(value)}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {summary.valueWarnings > 0 && (
        <Text size="sm">{t(summary.dryRun ? 'import.summary.valueWarningsDry' : 'import.summary.valueWarnings', { count: summary.valueWarnings })}</Text>
      )}
      {summary.warned > 0 && (
        <Text size="sm">{t(summary.dryRun ? 'import.summary.warnedDry' : 'import.summary.warned', { count: summary.warned })}</Text>
      )}
      {summary.empty > 0 && <Text size="sm">{t(summary.dryRun ? 'import.summary.emptyDry' : 'import.summary.empty', { count: summary.empty })}</Text>}
      {summary.rows / Math.max(summary.rowsPerSecond, 1) >= 1 && (
        <Text size="xs" c="dimmed">
          {t('import.summary.speed', { rows: format.number(summary.rows), seconds: format.number(Math.round((summary.rows / Math.max(summary.rowsPerSecond, 1)) * 10) / 10) })}
        </Text>
      )}
    </Stack>
  );
}

/** The previewed rows at a glance: how many each outcome, and how many are saved without some of their values. */
function PreviewCounts({ rows }: { rows: ImportRowCheck[] }) {
  const t = useT();
  const format = useFormat();
  const counts = new Map<ImportRowCheck['outcome'], number>();
  for (const row of rows) counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
  const warned = rows.filter((r) => r.warnings.length > 0).length;
  return (
    <Group gap={6} mb={6} aria-label={t('import.preview.counts', { count: rows.length })}>
      <Text size="xs" c="dimmed">
        {t('import.preview.counts', { count: rows.length })}
      </Text>
      {[...counts].map(([outcome, count]) => (
        <Badge key={outcome} size="sm" variant="light" color={outcomeColors[outcome]}>
          {t(`import.outcome.${outcome}`)}: {format.number(count)}
        </Badge>
      ))}
      {warned > 0 && (
        <Badge size="sm" variant="light" color="orange">
          {t('import.preview.withWarnings', { count: warned })}
        </Badge>
      )}
    </Group>
  );
}

function PreviewTable({ rows, mapping, target }: { rows: ImportRowCheck[]; mapping: (ImportField | null)[]; target: ImportTarget }) {
  const t = useT();
  // The cells that identify a row: company and email for clients, name and client for contacts.
  const keyFields: ImportField[] = target === 'clients' ? ['companyName', 'email'] : target === 'candidates' ? ['fullName', 'email'] : ['name', 'client'];
  // A row that only adds a contact to the client above is shown by its person.
  const contactFields: ImportField[] = ['contactName', 'contactEmail'];
  const cellOf = (row: ImportRowCheck, field: ImportField) => {
    const column = mapping.indexOf(field);
    return column >= 0 ? (row.cells[column] ?? '') : '';
  };
  /** What the row's Notes cell says, each with its color: errors, why it is skipped, the values not imported, possible duplicates. */
  const notes = (row: ImportRowCheck): { text: string; color: string }[] => {
    if (row.errors.length) return row.errors.map((e) => ({ text: issueText(t, e), color: 'red' }));
    if (row.skipReason) return [{ text: t(`import.note.${row.skipReason}`), color: 'dimmed' }];
    if (row.continuesLine !== null && row.outcome === 'skip') return [{ text: t('import.note.continuesSkipped', { line: row.continuesLine }), color: 'dimmed' }];
    if (row.sameAsLine !== null && row.outcome === 'skip') return [{ text: t('import.note.sameAsLine', { line: row.sameAsLine }), color: 'yellow.8' }];
    const blocking = row.matches.filter((m) => m.decision === 'block');
    const similar = row.matches.filter((m) => !blocking.includes(m));
    const reasons = (list: string[]) => list.map((r) => t(`duplicates.reason.${r}` as MessageKey)).join(', ');
    // Earlier lines of the file grouped by why they look alike: "lines 3, 4, 5 (similar name)".
    const similarLines = new Map<string, number[]>();
    for (const s of row.similarLines) similarLines.set(reasons(s.reasons), [...(similarLines.get(reasons(s.reasons)) ?? []), s.line]);
    const describe = (list: typeof row.matches) => list.map((m) => `${m.code} ${m.companyName} (${reasons(m.reasons)})`).join('; ');
    return [
      row.continuesLine !== null ? { text: t('import.note.continues', { line: row.continuesLine }), color: 'dimmed' } : null,
      row.sameAsLine !== null ? { text: t('import.note.sameAsLine', { line: row.sameAsLine }), color: 'yellow.8' } : null,
      blocking.length ? { text: t('import.note.duplicate', { clients: describe(blocking) }), color: 'yellow.8' } : null,
      similar.length ? { text: t('import.note.warning', { clients: describe(similar) }), color: 'yellow.8' } : null,
      ...[...similarLines].map(([why, lines]) => ({ text: t('import.note.similarLines', { count: lines.length, lines: lines.join(', '), reasons: why }), color: 'yellow.8' })),
      ...row.warnings.map((w) => ({ text: warningText(t, w), color: 'orange' })),
    ].filter((n): n is { text: string; color: string } => n !== null);
  };
  return (
    <ScrollArea.Autosize mah={300}>
      <Table verticalSpacing={4} fz="sm" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={60}>{t('import.preview.line')}</Table.Th>
            <Table.Th w={124}>{t('import.preview.result')}</Table.Th>
            <Table.Th>{t('import.preview.row')}</Table.Th>
            <Table.Th>{t('import.preview.notes')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.line}>
              <Table.Td c="dimmed">{row.line}</Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={outcomeColors[row.outcome]}>
                  {t(`import.outcome.${row.outcome}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500} lineClamp={1}>
                  {cellOf(row, (row.continuesLine !== null && target === 'clients' ? contactFields : keyFields)[0]!) || '—'}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {cellOf(row, (row.continuesLine !== null && target === 'clients' ? contactFields : keyFields)[1]!)}
                </Text>
              </Table.Td>
              <Table.Td>
                {notes(row).map((note, i) => (
                  <Text key={i} size="xs" c={note.color}>
                    {note.text}
                  </Text>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}

/**
 * Values of an area, status or owner column that the app does not recognise ("Sanidad", "Baja", a former
 * colleague's nickname), each with a choice of what it means; left unanswered, an area rejects its rows and a
 * status or owner gives way to the run's default (with a warning, or a rejection in strict mode).
 */
function ValueMapping({
  fileId,
  column,
  field,
  header,
  aliases,
  chosen,
  onChange,
}: {
  fileId: string;
  column: number;
  field: MappableValueField;
  header: string;
  aliases: { statuses: Record<string, string[]>; areas: Record<string, string[]> };
  chosen: Record<string, string>;
  onChange: (value: string, answer: string | null) => void;
}) {
  const t = useT();
  const format = useFormat();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const areaLabel = useAreaLabel();
  const [values, setValues] = useState<Output<'imports.values'> | null>(null);

  useEffect(() => {
    let live = true;
    must(api().imports.values({ fileId, column, field, aliases }))
      .then((answer) => live && setValues(answer))
      .catch((error: unknown) => notifyError(t, error));
    return () => {
      live = false;
    };
  }, [fileId, column, field, aliases, t]);

  const unknown = (values?.values ?? []).filter((v) => !v.match);
  if (!values || !unknown.length) return null;
  const options =
    field === 'area'
      ? areas.filter((a) => a.active).map((a) => ({ value: a.id, label: areaLabel(a) }))
      : field === 'status'
        ? clientStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))
        : users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }));
  return (
    <div>
      <Text size="sm" fw={500}>
        {t('import.values.title', { column: header })}
      </Text>
      <Text size="xs" c="dimmed" mb={6}>
        {/* An area is required: an unanswered one rejects its rows. A status or owner is optional: the default steps in. */}
        {t(field === 'area' ? 'import.values.help' : 'import.values.helpOptional')}
      </Text>
      <SimpleGrid cols={2} spacing="xs" verticalSpacing={6}>
        {unknown.slice(0, 30).map((v) => (
          <Select
            key={v.value}
            size="xs"
            label={`${v.value} (${format.number(v.count)})`}
            placeholder={t(field === 'area' ? 'import.values.reject' : 'import.values.useDefault')}
            clearable
            value={chosen[v.value] ?? null}
            onChange={(answer) => onChange(v.value, answer)}
            data={options}
          />
        ))}
      </SimpleGrid>
      {unknown.length > 30 && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('import.values.more', { count: format.number(unknown.length - 30) })}
        </Text>
      )}
    </div>
  );
}
