import { Modal, type MantineSize } from '@mantine/core';
import { createContext, useContext } from 'react';
import { useDiscardGuard } from './useDiscardGuard';

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
  const { requestClose, dialog } = useDiscardGuard(dirty, onClose);
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
      {dialog}
    </>
  );
}

/** Inside a FormModal: closes it the way Esc does (asking first when there are unsaved edits). */
export function useRequestClose(): (() => void) | null {
  return useContext(RequestClose);
}
