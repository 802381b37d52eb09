import { Button, Group, Modal, Text } from '@mantine/core';
import { useT } from '../i18n';

/** The one confirmation dialog: a question, what happens, Cancel and a (usually red) confirm button. */
export function ConfirmModal({
  opened,
  title,
  body,
  confirmLabel,
  cancelLabel,
  color = 'red',
  onConfirm,
  onClose,
  zIndex,
}: {
  opened: boolean;
  title: string;
  body: string;
  confirmLabel: string;
  cancelLabel?: string;
  color?: string;
  onConfirm: () => void;
  onClose: () => void;
  zIndex?: number;
}) {
  const t = useT();
  // Mounted only while open. A closed Mantine modal keeps its window Escape listener, which reads the latest
  // props: when Escape on a form opens this confirmation, React renders it open before that same keydown
  // reaches this listener, so it closed again at once and the question was never seen.
  if (!opened) return null;
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="sm" {...(zIndex ? { zIndex } : {})}>
      <Text size="sm" mb="lg">
        {body}
      </Text>
      <Group justify="flex-end">
        {/* Focus starts on the safe choice: Enter right after the question keeps things as they are. */}
        <Button variant="default" onClick={onClose} data-autofocus>
          {cancelLabel ?? t('common.cancel')}
        </Button>
        <Button color={color} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </Group>
    </Modal>
  );
}
