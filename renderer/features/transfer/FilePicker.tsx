import { Progress, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileUpload } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { StagedFile } from '../../../contract/transfer';
import { useAppStore } from '../../app/store';
import { useT } from '../../i18n';
import { api, errorText, must, notifyError } from '../../lib/api';
import { uploadFile } from './files';
import classes from './Transfer.module.css';
import { useFileDrop } from '../../lib/useFileDrop';

/**
 * Where a file comes in: dropped, or chosen — in the desktop app through the system's open dialog (main
 * reads the file where it is), in the browser shell through the page's file input and an upload.
 */
export function FilePicker({ filter, accept, hint, onPicked }: { filter: 'table' | 'backup'; accept: string; hint: string; onPicked: (file: StagedFile) => void }) {
  const t = useT();
  const shell = useAppStore((s) => s.info?.shell ?? 'browser');
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setProgress(0);
    try {
      onPicked(await uploadFile(file, setProgress));
    } catch (error) {
      // A file refused by size says so, in words; anything else is the usual error notice.
      console.error(error);
      notifications.show({ color: 'red', title: t('error.title'), message: errorText(t, error), autoClose: 8000 });
    } finally {
      setProgress(null);
    }
  };

  const choose = async () => {
    if (shell === 'browser') return input.current?.click();
    try {
      const { file } = await must(api().files.pick({ filter }));
      if (file) onPicked(file);
    } catch (error) {
      notifyError(t, error);
    }
  };

  const dropProps = useFileDrop((files) => void upload(files[0]));

  return (
    <div className={classes.dropzone} {...dropProps}>
      {progress !== null ? (
        <Stack w="100%" maw={360} gap={6}>
          <Text size="sm">{t('transfer.uploading', { percent: Math.round(progress * 100) })}</Text>
          <Progress value={progress * 100} aria-label={t('transfer.uploading', { percent: Math.round(progress * 100) })} />
        </Stack>
      ) : (
        <>
          <ThemeIcon size={44} radius="xl" variant="light">
            <IconFileUpload />
          </ThemeIcon>
          <Text size="sm">
            {t('import.drop')}{' '}
            <UnstyledButton className={classes.link} onClick={() => void choose()}>
              {t('import.chooseFile')}
            </UnstyledButton>
          </Text>
          <Text size="xs" maw={440}>
            {hint}
          </Text>
        </>
      )}
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        aria-label={t('import.chooseFile')}
        onChange={(e) => {
          void upload(e.currentTarget.files?.[0]);
          e.currentTarget.value = '';
        }}
      />
    </div>
  );
}
