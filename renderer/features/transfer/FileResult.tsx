import { Alert, Button, Group, Text } from '@mantine/core';
import { IconCircleCheck, IconDownload, IconFolder } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { StagedFile } from '../../../contract/transfer';
import { useAppStore } from '../../app/store';
import { useFormat, useT } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { formatSize } from '../../lib/intl';
import { deliverFile, type Delivery } from './files';

/**
 * A finished export: handed to the user at once (save dialog on the desktop, download in the browser),
 * with a button to do it again if they dismissed the dialog or lost the download.
 */
export function FileResult({ file, message }: { file: StagedFile; message: string }) {
  const t = useT();
  const format = useFormat();
  const shell = useAppStore((s) => s.info?.shell ?? 'browser');
  const [delivery, setDelivery] = useState<Delivery | null>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);

  const deliver = async () => {
    setBusy(true);
    try {
      setDelivery(await deliverFile(file, shell));
    } catch (error) {
      notifyError(t, error);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void deliver();
    // Once per finished file.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file.fileId]);

  const showInFolder = async (path: string) => {
    try {
      await must(api().files.showSaved({ savedPath: path }));
    } catch (error) {
      notifyError(t, error);
    }
  };

  return (
    <Alert color="teal" icon={<IconCircleCheck />} title={message}>
      <Text size="sm" mb="xs">
        {delivery?.kind === 'saved'
          ? t('transfer.savedTo', { path: delivery.path })
          : delivery?.kind === 'downloaded'
            ? t('transfer.downloaded', { name: file.fileName, size: formatSize(file.sizeBytes, format.locale) })
            : `${file.fileName} · ${formatSize(file.sizeBytes, format.locale)}`}
      </Text>
      <Group gap="xs">
        {delivery?.kind === 'saved' && (
          <Button size="xs" variant="light" leftSection={<IconFolder size={14} />} onClick={() => void showInFolder(delivery.path)}>
            {t('transfer.showInFolder')}
          </Button>
        )}
        <Button size="xs" variant={delivery?.kind === 'dismissed' ? 'filled' : 'default'} leftSection={<IconDownload size={14} />} loading={busy} onClick={() => void deliver()}>
          {shell === 'browser' ? (delivery ? t('transfer.downloadAgain') : t('transfer.download')) : delivery?.kind === 'saved' ? t('transfer.saveAgain') : t('transfer.saveFile')}
        </Button>
      </Group>
    </Alert>
  );
}
