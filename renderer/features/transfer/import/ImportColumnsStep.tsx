import { Alert, Button, Group, ScrollArea, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { clientStatuses, type ClientStatus } from '../../../../contract/clients';
import { mappableValueFields, type ImportField } from '../../../../contract/transfer';
import { useAppStore, useAreaLabel } from '../../../app/store';
import { useFormat, useT, type MessageKey } from '../../../i18n';
import classes from '../Transfer.module.css';
import { importSteps, type Analysis, type ImportWizard } from './useImportWizard';
import { ValueMapping } from './ValueMapping';

/** Step 2: each column of the file mapped to a field (guessed from its header), the run's defaults, unknown values. */
export function ImportColumnsStep({ wizard, analysis }: { wizard: ImportWizard; analysis: Analysis }) {
  const t = useT();
  const format = useFormat();
  const { file, target, missing, twice, setStep } = wizard;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {file?.fileName} ·{' '}
          {analysis.format === 'csv'
            ? t('import.detectedCsv', { encoding: (analysis.encoding ?? '').toUpperCase(), delimiter: analysis.delimiter === '\t' ? 'TAB' : (analysis.delimiter ?? ''), rows: format.number(analysis.rowCount) })
            : t('import.detected', { format: 'Excel', rows: format.number(analysis.rowCount) })}
        </Text>
        <Button variant="subtle" size="xs" onClick={() => setStep(importSteps.file)}>
          {t('import.changeFile')}
        </Button>
      </Group>
      <Text size="sm">{t('import.mapping.help')}</Text>
      <ColumnTable wizard={wizard} analysis={analysis} />
      {target === 'clients' && <RunDefaults wizard={wizard} />}
      {target === 'clients' && <ValueMappings wizard={wizard} analysis={analysis} />}
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
        <Button variant="default" onClick={() => setStep(importSteps.file)}>
          {t('import.back')}
        </Button>
        <Button disabled={missing.length > 0} onClick={() => setStep(importSteps.check)}>
          {t('import.next')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The file's columns, a few sample values of each, and the field each one goes to. */
function ColumnTable({ wizard, analysis }: { wizard: ImportWizard; analysis: Analysis }) {
  const t = useT();
  const { mapping, setMapping, fields, required } = wizard;
  const fieldLabel = (f: ImportField) => `${t(`import.field.${f}` as MessageKey)}${required.includes(f) ? ' *' : ''}`;
  const sampleOf = (column: number) =>
    analysis.sample
      .map((row) => row[column] ?? '')
      .filter(Boolean)
      .slice(0, 3)
      .join(' · ');
  return (
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
  );
}

/** What a clients row without an area, status or owner gets. */
function RunDefaults({ wizard }: { wizard: ImportWizard }) {
  const t = useT();
  const areas = useAppStore((s) => s.areas);
  const users = useAppStore((s) => s.users);
  const areaLabel = useAreaLabel();
  const { defaults, setDefaults } = wizard;
  return (
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
  );
}

/** For each mapped area, status or owner column, its values the app does not recognise (see ValueMapping). */
function ValueMappings({ wizard, analysis }: { wizard: ImportWizard; analysis: Analysis }) {
  const { file, mapping, aliases, valueMap, setValueMap } = wizard;
  return mappableValueFields.map((field) =>
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
  );
}
