import { Anchor, Checkbox, Group, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import { clientStatuses } from '../../../contract/clients';
import { clientExportColumns, defaultExportColumns, type ClientExportColumn } from '../../../contract/transfer';
import type { ViewQuery } from '../../../contract/views';
import { useAppStore, useAreaLabel } from '../../app/store';
import { useFormat, useT, type MessageKey } from '../../i18n';
import { api, must } from '../../lib/api';
import { ExportFormatFields, ExportShell, useExportTask, type Delimiter, type ExportFormat as Format } from './ExportShell';

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
  const exporter = useExportTask(opened, onClose);

  const start = async () => {
    remembered.format = fileFormat;
    remembered.delimiter = delimiter;
    remembered.columns = columns;
    const ordered = clientExportColumns.filter((c) => columns.includes(c));
    await exporter.run(() =>
      must(
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
      ),
    );
  };

  return (
    <ExportShell
      exporter={exporter}
      opened={opened}
      title={t('export.title')}
      size="lg"
      startLabel={t('export.start', { count: matching ?? '' })}
      canStart={columns.length > 0}
      onStart={() => void start()}
      scope={
        <Text size="sm" c="dimmed">
          {matching === null ? '' : query.search || query.statuses.length || query.areaIds.length || query.ownerIds.length || query.createdFrom || query.createdTo
            ? t('export.scope', { count: matching })
            : t('export.scopeAll', { count: format.number(matching) })}
        </Text>
      }
      options={
        <>
          <ExportFormatFields format={fileFormat} onFormat={setFileFormat} delimiter={delimiter} onDelimiter={setDelimiter} hints />
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
      }
    />
  );
}

// The last choices, so a second export in the same session starts where the user left off.
const remembered: { format: Format; delimiter: Delimiter | null; columns: ClientExportColumn[] } = { format: 'csv', delimiter: null, columns: [...defaultExportColumns] };
