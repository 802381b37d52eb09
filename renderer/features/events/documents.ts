import { notifications } from '@mantine/notifications';
import type { Attachment } from '../../../contract/events';
import type { Translate } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';

/** Opens a document with the desktop's default app, or downloads it in the browser shell. */
export async function openDocument(t: Translate, attachment: Attachment): Promise<void> {
  try {
    const result = await must(api().attachments.open({ id: attachment.id }));
    if (result.action === 'shown') notifications.show({ color: 'yellow', message: t('events.shownInFolder', { name: attachment.fileName }) });
    if (result.action !== 'download') return;
    const file = await must(api().attachments.get({ id: attachment.id }));
    const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    notifyError(t, error);
  }
}

/** Reads picked or dropped files as base64 for the contract (JSON-safe on both transports). */
export async function readFiles(files: File[]): Promise<{ fileName: string; mimeType: string; contentBase64: string; sizeBytes: number }[]> {
  return Promise.all(
    files.map(async (file) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { fileName: file.name, mimeType: file.type || 'application/octet-stream', contentBase64: btoa(binary), sizeBytes: file.size };
    }),
  );
}
