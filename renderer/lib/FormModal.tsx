import { Modal, type MantineSize } from '@mantine/core';
import { createContext, useContext, useState } from 'react';
import { useT } from '../i18n';
import { ConfirmModal } from './ConfirmModal';

const RequestClose = createContext<(() => void) | null>(null);

/**
 * A form in a modal, as every editor of the app has it: Enter submits through `onSubmit` (the browser never
 * validates or reloads), and closing with unsaved edits (Esc, the close button, Cancel in FormActions) asks
 * first, so typed data is never lost by a stray key. `dirty` says whether the form differs from what it
 * opened with.
 */
export function FormModal({
  opened,
  title,
  size = 'lg',
  dirty,
  onClose,
  onSubmit,
  children,
}: {
  opened: boolean;
  title: React.ReactNode;
  size?: MantineSize;
  dirty: boolean;
  onClose: () => void;
  onSubmit: () => unknown;
  children: React.ReactNode;
}) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const requestClose = () => (dirty ? setAsking(true) : onClose());
  return (
    <>
      <Modal opened={opened} onClose={requestClose} title={title} size={size} centered>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void onSubmit();
          }}
        >
          <RequestClose value={requestClose}>{children}</RequestClose>
        </form>
      </Modal>
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
    </>
  );
}

/** Inside a FormModal: closes it the way Esc does (asking first when there are unsaved edits). */
export function useRequestClose(): (() => void) | null {
  return useContext(RequestClose);
}
