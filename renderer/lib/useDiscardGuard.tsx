import { useState } from 'react';
import { useT } from '../i18n';
import { ConfirmModal } from './ConfirmModal';

/**
 * Closing a form (Esc, Cancel, the close button) with unsaved edits asks first, so typed data is never lost
 * by a stray key. `dirty` says whether the form differs from what it opened with. Render `dialog` next to the
 * form's modal and give `requestClose` to everything that closes it.
 */
export function useDiscardGuard(dirty: boolean, onClose: () => void) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const requestClose = () => (dirty ? setAsking(true) : onClose());
  const dialog = (
    <ConfirmModal
      opened={asking}
      title={t('form.discard.title')}
      body={t('form.discard.body')}
      confirmLabel={t('form.discard.confirm')}
      cancelLabel={t('form.discard.keep')}
      onConfirm={() => {
        setAsking(false);
        onClose();
      }}
      onClose={() => setAsking(false)}
      zIndex={300}
    />
  );
  return { requestClose, dialog };
}
