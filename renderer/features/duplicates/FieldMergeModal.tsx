import { Alert, Button, Group, Modal, Radio, Stack, Table, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useT } from '../../i18n';

export interface MergeSide {
  id: string;
  title: string;
  subtitle: string;
}

export interface MergeField {
  key: string;
  label: string;
  /** What each side holds, as shown (null: empty); `equal` when the stored values are the same. */
  values: [string | null, string | null];
  equal: boolean;
}

/**
 * Two records side by side: the person picks the one to keep, then, for each field that differs, which value
 * stays (radio per field; identical fields shown once). Empty fields of the kept record take the other's value
 * by default. `onSubmit` gets the kept side and the fields that take the other record's value.
 */
export function FieldMergeModal(props: {
  title: string;
  /** What becomes of the record not kept. */
  keepHelp: string;
  sides: [MergeSide, MergeSide];
  fields: MergeField[];
  /** What the merge also does, knowing which side is kept. */
  note: (keep: 0 | 1) => string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (keep: 0 | 1, takeFromOther: string[]) => void;
}) {
  const t = useT();
  const { sides, fields } = props;
  const [keep, setKeep] = useState<0 | 1>(0);
  const defaults = useMemo(() => (side: 0 | 1) => Object.fromEntries(fields.filter((f) => !f.equal).map((f) => [f.key, f.values[side] === null ? 1 - side : side])), [fields]);
  const [choice, setChoice] = useState<Record<string, number>>(() => defaults(0));
  useEffect(() => setChoice(defaults(keep)), [keep, defaults]);
  const differing = fields.filter((f) => !f.equal);
  const empty = t('merge.empty');

  return (
    <Modal opened onClose={props.onClose} title={props.title} size="xl">
      <Stack gap="md">
        <Radio.Group label={t('merge.keep')} description={props.keepHelp} value={String(keep)} onChange={(v) => setKeep(v === '1' ? 1 : 0)}>
          <Group mt="xs" grow>
            {sides.map((side, i) => (
              <Radio key={side.id} value={String(i)} label={side.title} description={side.subtitle} />
            ))}
          </Group>
        </Radio.Group>
        <Text size="sm" c="dimmed">
          {differing.length ? t('merge.choose') : t('merge.identical')}
        </Text>
        <Table withTableBorder verticalSpacing={6} layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="22%">{t('merge.field')}</Table.Th>
              <Table.Th>{sides[0].title}</Table.Th>
              <Table.Th>{sides[1].title}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map((field) =>
              field.equal ? (
                <Table.Tr key={field.key}>
                  <Table.Td fw={500}>{field.label}</Table.Td>
                  <Table.Td colSpan={2}>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {field.values[0] ?? empty}
                      </Text>
                      <Text size="xs" c="dimmed">
                        · {t('merge.same')}
                      </Text>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ) : (
                <Table.Tr key={field.key}>
                  <Table.Td fw={500}>{field.label}</Table.Td>
                  {([0, 1] as const).map((side) => (
                    <Table.Td key={side}>
                      <Radio
                        name={`merge-${field.key}`}
                        checked={choice[field.key] === side}
                        onChange={() => setChoice((c) => ({ ...c, [field.key]: side }))}
                        aria-label={`${field.label}: ${field.values[side] ?? empty}`}
                        label={<span style={{ overflowWrap: 'anywhere' }}>{field.values[side] ?? empty}</span>}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ),
            )}
          </Table.Tbody>
        </Table>
        <Alert variant="light" color="blue">
          {props.note(keep)}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={props.busy} onClick={() => props.onSubmit(keep, differing.filter((f) => choice[f.key] !== keep).map((f) => f.key))}>
            {t('merge.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
