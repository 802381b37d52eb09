import { Text } from '@mantine/core';
import { useState } from 'react';
import { candidateExportColumns } from '../../../contract/candidates';
import { useT, type MessageKey } from '../../i18n';
import { api, must } from '../../lib/api';
import { ExportFormatFields, ExportShell, useExportTask, type Delimiter, type ExportFormat } from '../transfer/ExportShell';
import type { CandidateQuery } from './store';

/** Exports the candidates of the current search and filters, in the list's order, as CSV or Excel, with progress. */
export function CandidateExportModal({ opened, query, onClose }: { opened: boolean; query: CandidateQuery; onClose: () => void }) {
  const t = useT();
  const [fileFormat, setFileFormat] = useState<ExportFormat>('csv');
  const [delimiter, setDelimiter] = useState<Delimiter>(',');
  const exporter = useExportTask(opened, onClose);

  const start = () =>
    exporter.run(() =>
      must(
        api().exports.candidates({
          filter: { search: query.search, sources: query.sources, tags: query.tags, ownerIds: query.ownerIds },
          format: fileFormat,
          delimiter,
          headers: Object.fromEntries(candidateExportColumns.map((key) => [key, t(`candidates.export.col.${key}` as MessageKey)])),
          baseName: `${t('candidates.export.fileName')}-${new Date().toISOString().slice(0, 10)}`,
        }),
      ),
    );

  return (
    <ExportShell
      exporter={exporter}
      opened={opened}
      title={t('candidates.export.title')}
      startLabel={t('candidates.export.start')}
      onStart={() => void start()}
      options={
        <>
          <Text size="sm" c="dimmed">
            {t('candidates.export.scope')}
          </Text>
          <ExportFormatFields format={fileFormat} onFormat={setFileFormat} delimiter={delimiter} onDelimiter={setDelimiter} />
        </>
      }
    />
  );
}
