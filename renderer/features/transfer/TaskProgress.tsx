import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Task } from '../../../contract/transfer';
import { useFormat, useT, type MessageKey } from '../../i18n';

/** A running task: a bar with what it is doing in words, and Cancel. */
export function TaskProgress({ task, label, onCancel }: { task: Task | null; label: string; onCancel: () => void }) {
  const t = useT();
  const format = useFormat();
  const total = task?.total ?? null;
  const done = task?.done ?? 0;
  const percent = total ? Math.min(100, (done / total) * 100) : 0;
  const phase = task?.phase ?? 'start';
  const phaseKey = `transfer.phase.${phase}` as MessageKey;
  const detail = total !== null && ['rows', 'clients', 'candidates', 'documents'].includes(phase) ? t(phaseKey, { done: format.number(done), total: format.number(total) }) : t(phaseKey) === phaseKey ? '' : t(phaseKey);
  const [cancelling, setCancelling] = useState(false);
  return (
    <Stack gap="xs" aria-live="polite">
      <Group justify="space-between">
        <Text fw={500}>{label}</Text>
        <Text size="sm" c="dimmed">
          {total ? `${Math.floor(percent)} %` : ''}
        </Text>
      </Group>
      <Progress value={total ? percent : 100} animated={!total} striped={!total} aria-label={label} />
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {detail}
        </Text>
        <Button
          variant="default"
          size="xs"
          disabled={cancelling}
          onClick={() => {
            setCancelling(true);
            onCancel();
          }}
        >
          {cancelling ? t('transfer.cancelling') : t('transfer.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
