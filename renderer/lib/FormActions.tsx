import { Button, Group } from '@mantine/core';
import { useT } from '../i18n';

/** Cancel and Save at the foot of every form modal; Save stays disabled while the form is invalid. */
export function FormActions({ onCancel, canSave, saving = false, saveLabel }: { onCancel: () => void; canSave: boolean; saving?: boolean; saveLabel?: string }) {
  const t = useT();
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button type="submit" loading={saving} disabled={!canSave}>
        {saveLabel ?? t('common.save')}
      </Button>
    </Group>
  );
}
