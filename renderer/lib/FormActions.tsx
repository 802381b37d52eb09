import { Button, Group } from '@mantine/core';
import { useT } from '../i18n';
import { useRequestClose } from './FormModal';

/**
 * Cancel and Save at the foot of every form modal; Save stays disabled while the form is invalid. Inside a
 * FormModal, Cancel closes it as Esc does unless `onCancel` says otherwise.
 */
export function FormActions({ onCancel, canSave, saving = false, saveLabel }: { onCancel?: () => void; canSave: boolean; saving?: boolean; saveLabel?: string }) {
  const t = useT();
  const requestClose = useRequestClose();
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={onCancel ?? requestClose ?? undefined}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={saving} disabled={!canSave}>
        {saveLabel ?? t('common.save')}
      </Button>
    </Group>
  );
}
