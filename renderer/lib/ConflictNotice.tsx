import { Alert, Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconArrowsDiff, IconDeviceFloppy, IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useEffect, useId, useRef } from 'react';
import { useFormat, useT } from '../i18n';
import classes from './ConflictNotice.module.css';
import type { EditConflict } from './useEditConflict';

export type ConflictEntity = 'client' | 'contact' | 'event' | 'job' | 'lead' | 'candidate';

/**
 * Inside an editor, after its save was refused because someone saved the record meanwhile: what changed,
 * field by field (the value the user saw → the value saved now, and theirs where they changed it too), and the
 * two ways on. It takes the focus when it appears, so keyboard and screen-reader users land on it; after a
 * Reload a short status says which fields now show the saved values.
 */
export function ConflictNotice<R, V>({ entity, form, saving, onKeepMine }: { entity: ConflictEntity; form: EditConflict<R, V>; saving: boolean; onKeepMine: () => void }) {
  const t = useT();
  const format = useFormat();
  const helpId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const { conflict, reloaded } = form;
  const focusKey = conflict ? `conflict-${conflict.version}` : reloaded ? 'reloaded' : null;

  useEffect(() => {
    if (focusKey) ref.current?.focus();
  }, [focusKey]);

  if (reloaded) {
    return (
      <Alert ref={ref} tabIndex={-1} role="status" color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
        <Text size="sm">{reloaded.length ? t('conflict.reloaded', { fields: reloaded.join(', ') }) : t('conflict.reloadedNothing')}</Text>
      </Alert>
    );
  }
  if (!conflict) return null;

  return (
    <Alert ref={ref} tabIndex={-1} role="alert" color="orange" variant="outline" icon={<IconArrowsDiff size={18} />} title={t(`conflict.title.${entity}`)} classNames={{ title: classes.title }} data-testid="edit-conflict">
      <Stack gap="xs">
        <Text size="sm">{t('conflict.intro', { when: conflict.savedAt ? format.dateTime(conflict.savedAt) : '—' })}</Text>
        {conflict.rows.length === 0 ? (
          <Text size="sm">{t('conflict.noFields')}</Text>
        ) : (
          <Table withTableBorder verticalSpacing={6} horizontalSpacing="sm" fz="sm" layout="fixed">
            <VisuallyHidden component="caption">{t('conflict.table')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('conflict.col.field')}</Table.Th>
                <Table.Th>{t('conflict.col.before')}</Table.Th>
                <Table.Th>{t('conflict.col.now')}</Table.Th>
                <Table.Th>{t('conflict.col.mine')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {conflict.rows.map((row) => (
                <Table.Tr key={row.key} className={row.clash ? classes.clashRow : undefined}>
                  <Table.Th scope="row" fw={600}>
                    {row.label}
                  </Table.Th>
                  <Table.Td>
                    <Value text={row.before} dimmed />
                  </Table.Td>
                  <Table.Td>
                    <Value text={row.now} />
                  </Table.Td>
                  <Table.Td>
                    {row.clash ? (
                      <Stack gap={2}>
                        <Group gap={4} wrap="nowrap" className={classes.clash}>
                          <IconAlertTriangle size={14} style={{ flex: 'none' }} aria-hidden />
                          <Text size="xs" fw={700}>
                            {t('conflict.clash')}
                          </Text>
                        </Group>
                        <Value text={row.mine ?? '—'} />
                      </Stack>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {row.same ? t('conflict.same') : t('conflict.untouched')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text size="xs" id={helpId}>
          {t('conflict.help')}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => form.reload()} disabled={saving} aria-describedby={helpId}>
            {t('conflict.reload')}
          </Button>
          <Button color="orange" leftSection={<IconDeviceFloppy size={16} />} onClick={onKeepMine} loading={saving} aria-describedby={helpId}>
            {t('conflict.keepMine')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function Value({ text, dimmed = false }: { text: string; dimmed?: boolean }) {
  return (
    <Text size="sm" c={dimmed ? 'dimmed' : undefined} lineClamp={3} title={text} style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-line' }}>
      {text}
    </Text>
  );
}
