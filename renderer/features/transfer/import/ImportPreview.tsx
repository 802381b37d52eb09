import { Badge, Group, ScrollArea, Table, Text } from '@mantine/core';
import type { ImportField, ImportRowCheck, ImportTarget } from '../../../../contract/transfer';
import { useFormat, useT, type MessageKey } from '../../../i18n';
import { issueText, outcomeColors, warningText } from './importText';

/** The previewed rows at a glance: how many each outcome, and how many are saved without some of their values. */
export function PreviewCounts({ rows }: { rows: ImportRowCheck[] }) {
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

/** The first rows of the file as the import would treat them, each with its notes. */
export function PreviewTable({ rows, mapping, target }: { rows: ImportRowCheck[]; mapping: (ImportField | null)[]; target: ImportTarget }) {
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

