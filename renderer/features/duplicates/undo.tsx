import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Translate } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';

/** Undoes a merge (from the success notification or the survivor's history) and says so. */
export async function undoMerge(t: Translate, mergeId: string, after?: () => void): Promise<void> {
  try {
    await must(api().merges.undo({ mergeId }));
    notifications.show({ color: 'teal', message: t('merge.undone') });
    after?.();
  } catch (error) {
    notifyError(t, error);
  }
}

/** A success notification with an Undo button that stays long enough to be read and used. */
export function notifyWithUndo(t: Translate, message: string, undo: () => Promise<void>): void {
  const id = `undo-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  notifications.show({
    id,
    color: 'teal',
    autoClose: 15_000,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm" style={{ flex: 1, minWidth: 0 }}>
          {message}
        </Text>
        <Button
          size="compact-sm"
          variant="light"
          style={{ flexShrink: 0 }}
          onClick={() => {
            notifications.hide(id);
            void undo();
          }}
        >
          {t('dups.undo')}
        </Button>
      </Group>
    ),
  });
}
