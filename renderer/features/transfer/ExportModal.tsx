import { Alert, Anchor, Button, Checkbox, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconFileSpreadsheet } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { clientStatuses } from '../../../contract/clients';
import { clientExportColumns, defaultExportColumns, type ClientExportColumn } from '../../../contract/transfer';
import type { ViewQuery } from '../../../contract/views';
import { useAppStore, useAreaLabel } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, errorText, must } from '../../lib/api';
import { FileResult } from './FileResult';
import { TaskProgress } from './TaskProgress';
import { useTask } from './useTask';

type Format = 'csv' | 'xlsx';
type Delimiter = ',' | ';' | '\t';

/**
 * Exports the clients of the current search and filters, in the list's order, with the columns the user
 * picks. Headers, statuses and areas are written in the user's language. The choice of format, separator
 * and columns is remembered for the next export (this session).
 */
export function ExportModal({ opened, query, matching, onClose }: { opened: boolean; query: ViewQuery; matching: number | null; onClose: () => void }) {
  const t = useT();
  const format = useFormat();
  const areas = useAppStore((s) => s.areas);
  const areaLabel = useAreaLabel();
  const language = format.locale.startsWith('es') ? 'es' : 'en';
  const [fileFormat, setFileFormat] = useState<Format>(remembered.format);
  const [delimiter, setDelimiter] = useState<Delimiter>(remembered.delimiter ?? (language === 'es' ? ';' : ','));
  const [columns, setColumns] = useState<ClientExportColumn[]>(remembered.columns);
  const { task, error, follow, cancel, reset, setError } = useTask();

  useEffect(() => {
    if (opened) reset();
  }, [opened, reset]);

  const start = async () => {
    remembered.format = fileFormat;
    remembered.delimiter = delimiter;
    remembered.columns = columns;
    try {
      const ordered = clientExportColumns.filter((c) => columns.includes(c));
      const { taskId } = await must(
        api().exports.clients({
          filter: { search: query.search, statuses: query.statuses, areaIds: query.areaIds, ownerIds: query.ownerIds, createdFrom: query.createdFrom, createdTo: query.createdTo, includeArchived: query.includeArchived },
          sort: query.sort,
          direction: query.direction,
          format: fileFormat,
          delimiter,
          columns: ordered.map((key) => ({ key, header: t(`export.col.${key}` as MessageKey) })),
          labels: {
            statuses: Object.fromEntries(clientStatuses.map((s) => [s, t(`status.${s}`)])),
            areas: Object.fromEntries(areas.map((a) => [a.id, areaLabel(a)])),
          },
          baseName: `${t('export.fileName')}-${new Date().toISOString().slice(0, 10)}`,
        }),
      );
      await follow(taskId);
    } catch (failure) {
      setError(failure);
    }
  };

  const running = task?.state === 'running';
  const result = task?.state === 'done' && task.result?.kind === 'export' ? task.result : null;
  // The output stays in main only while the modal is open (to save or download it again).
  const close = () => {
    if (running) void cancel();
    if (result) void api().files.discard({ fileId: result.file.fileId });
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={t('export.title')} size="lg" centered>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {matching === null ? '' : query.search || query.statuses.length || query.areaIds.length || query.ownerIds.length || query.createdFrom || query.createdTo
            ? t('export.scope', { count: matching })
            : t('export.scopeAll', { count: format.number(matching) })}
        </Text>

        {!task && (
          <>
            <div>
              <Text size="sm" fw={500} mb={4}>
                {t('export.format')}
              </Text>
              <SegmentedControl
                value={fileFormat}
                onChange={(v) => setFileFormat(v as Format)}
                data={[
                  { value: 'csv', label: t('export.format.csv') },
                  { value: 'xlsx', label: t('export.format.xlsx') },
                ]}
              />
              <Text size="xs" c="dimmed" mt={4}>
                {fileFormat === 'csv' ? t('export.csvHint') : t('export.xlsxHint')}
              </Text>
            </div>
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
            <Checkbox.Group
              label={
                <Group gap="xs">
                  <span>{t('export.columns')}</span>
                  <Anchor component="button" type="button" size="xs" onClick={() => setColumns([...clientExportColumns])}>
                    {t('export.columnsAll')}
                  </Anchor>
                  <Anchor component="button" type="button" size="xs" onClick={() => setColumns([...defaultExportColumns])}>
                    {t('export.columnsDefault')}
                  </Anchor>
                </Group>
              }
              value={columns}
              onChange={(v) => setColumns(v as ClientExportColumn[])}
              error={columns.length ? undefined : t('export.pickColumns')}
            >
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} verticalSpacing={6} mt="xs">
                {clientExportColumns.map((key) => (
                  <Checkbox key={key} value={key} label={t(`export.col.${key}` as MessageKey)} size="sm" />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          </>
        )}

        {running && <TaskProgress task={task} label={t('export.title')} onCancel={() => void cancel()} />}
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
                <Button leftSection={<IconFileSpreadsheet size={16} />} disabled={!columns.length} onClick={() => void start()}>
                  {t('export.start', { count: matching ?? '' })}
                </Button>
              )}
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

// The last choices, so a second export in the same session starts where the user left off.
const remembered: { format: Format; delimiter: Delimiter | null; columns: ClientExportColumn[] } = { format: 'csv', delimiter: null, columns: [...defaultExportColumns] };
