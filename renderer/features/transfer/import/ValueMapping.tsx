import { SimpleGrid, Select, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Output } from '../../../../contract';
import { clientStatuses } from '../../../../contract/clients';
import type { MappableValueField } from '../../../../contract/transfer';
import { useAppStore, useAreaLabel } from '../../../app/store';
import { useFormat, useT } from '../../../i18n';
import { api, must, notifyError } from '../../../lib/api';

/**
 * Values of an area, status or owner column that the app does not recognise ("Sanidad", "Baja", a former
 * colleague's nickname), each with a choice of what it means; left unanswered, an area rejects its rows and a
 * status or owner gives way to the run's default (with a warning, or a rejection in strict mode).
 */
export function ValueMapping({
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
