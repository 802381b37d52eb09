import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import type { BackupStatus } from '../../../contract/backups';
import { useFormat, useT, type MessageKey, type Translate } from '../../i18n';
import { api } from '../../lib/api';

// Kept apart from the Settings page (a chunk of its own): the app shell uses these at every start.

/** After a restore the window reloads; the confirmation is shown once it is back. */
export const restoredKey = 'clients.restoredBackup';

/** Why the last copy failed, in the user's words. */
export function backupFailureText(t: Translate, failure: NonNullable<BackupStatus['lastFailure']>): string {
  return t(`backups.failed.${failure.reason}` as MessageKey);
}

/**
 * A failed backup is shown once as a notice, wherever the user is (checked at start and every ten minutes),
 * and a restore that just reloaded the window says it is done.
 */
export function useBackupNotices(active: boolean) {
  const t = useT();
  const format = useFormat();
  useEffect(() => {
    if (!active) return;
    const restored = window.sessionStorage.getItem(restoredKey);
    if (restored) {
      window.sessionStorage.removeItem(restoredKey);
      notifications.show({ color: 'teal', message: t('backups.restored', { date: format.dateTime(restored) }), autoClose: 6000 });
    }
    let shown: string | null = null;
    const check = async () => {
      const answer = await api().backups.list({});
      const failure = answer.ok ? answer.data.lastFailure : null;
      if (!failure || failure.at === shown) return;
      shown = failure.at;
      notifications.show({ id: 'backup-failure', color: 'red', title: t('backups.notice.title'), message: `${backupFailureText(t, failure)} ${t('backups.notice.open')}`, autoClose: false });
    };
    void check();
    const timer = window.setInterval(() => void check(), 10 * 60 * 1000);
    return () => window.clearInterval(timer);
  }, [active, t, format]);
}
