import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { ImportSummary } from '../../../../contract/transfer';
import { useFormat, useT, type MessageKey } from '../../../i18n';
import classes from '../Transfer.module.css';

/** A run's counts (created, updated, contacts, skipped, rejected) and what needs a look, for a dry run or the import. */
export function SummaryGrid({ summary }: { summary: ImportSummary }) {
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

