import { ActionIcon, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconDots, IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Job } from '../../../contract/jobs';
import { useT } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { ConfirmModal } from '../../lib/ConfirmModal';

export function JobActions({ job, onEdit, onChanged }: { job: Job; onEdit: () => void; onChanged: () => void }) {
  const t = useT();
  const [deleting, setDeleting] = useState(false);
  const duplicate = async () => {
    try {
      const copy = await must(api().jobs.duplicate({ id: job.id }));
      notifications.show({ color: 'teal', message: t('jobs.duplicated', { code: copy.code }) });
      onChanged();
    } catch (error) {
      notifyError(t, error);
    }
  };
  const remove = async () => {
    setDeleting(false);
    try {
      await must(api().jobs.delete({ id: job.id, version: job.version }));
      notifications.show({ color: 'teal', message: t('jobs.deleted', { code: job.code }) });
      onChanged();
    } catch (error) {
      // Changed or removed meanwhile: say so, and show the postings as they are now before the user decides again.
      notifyError(t, error);
      onChanged();
    }
  };
  return (
    <>
      <Menu position="bottom-end">
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={t('jobs.actions', { code: job.code })} onClick={(e) => e.stopPropagation()}>
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
          <Menu.Item leftSection={<IconPencil size={14} />} onClick={onEdit}>
            {t('jobs.edit', { code: job.code })}
          </Menu.Item>
          <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => void duplicate()}>
            {t('jobs.duplicate')}
          </Menu.Item>
          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(true)}>
            {t('jobs.delete')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ConfirmModal
        opened={deleting}
        title={t('jobs.deleteConfirm', { code: job.code })}
        body={t('jobs.deleteBody')}
        confirmLabel={t('jobs.delete')}
        onConfirm={() => void remove()}
        onClose={() => setDeleting(false)}
      />
    </>
  );
}
