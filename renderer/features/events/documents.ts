import { notifications } from '@mantine/notifications';
import { inlineDocumentBytes, mimeTypeSchema, type Attachment, type NewAttachment } from '../../../contract/events';
import type { Translate } from '../../i18n';
import { api, must, notifyError } from '../../lib/api';
import { downloadFile, uploadFile } from '../transfer/files';

/** Opens a document with the desktop's default app, or downloads it in the browser shell. */
export async function openDocument(t: Translate, attachment: Attachment): Promise<void> {
  try {
    const result = await must(api().attachments.open({ id: attachment.id }));
    if (result.action === 'shown') notifications.show({ color: 'yellow', message: t('events.shownInFolder', { name: attachment.fileName }) });
    if (result.action !== 'download' || !result.file) return;
    // A staged copy, read slice by slice: no answer ever holds a whole large document.
    try {
      await downloadFile({ ...result.file, fileName: attachment.fileName, mimeType: attachment.mimeType });
    } finally {
      void api().files.discard({ fileId: result.file.fileId });
    }
  } catch (error) {
    notifyError(t, error);
  }
}

/** A document picked or dropped in the event modal, not saved yet. */
export interface NewDocument {
  file: File;
  fileName: string;
  /** The type the browser gave it, when the contract takes it; a generic one otherwise. */
  mimeType: string;
  sizeBytes: number;
}

export function newDocument(file: File): NewDocument {
  const type = mimeTypeSchema.safeParse(file.type);
  return { file, fileName: file.name, mimeType: type.success && type.data ? type.data : 'application/octet-stream', sizeBytes: file.size };
}

const toBase64 = async (file: File) => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

/**
 * The documents of a save as the contract takes them: small ones inside the request (base64), larger ones
 * uploaded first in slices (files.beginUpload / appendUpload) and named by their staged id, so no request
 * holds a large document whole. The staged ids are pushed to `staged` as they are made: the caller discards
 * them if the save fails (main discards them once the save is committed).
 */
export async function documentInputs(documents: NewDocument[], staged: string[], onProgress: (fraction: number) => void): Promise<NewAttachment[]> {
  const total = Math.max(1, documents.reduce((sum, d) => sum + d.sizeBytes, 0));
  let done = 0;
  const out: NewAttachment[] = [];
  for (const document of documents) {
    const { fileName, mimeType } = document;
    if (document.sizeBytes <= inlineDocumentBytes) out.push({ fileName, mimeType, contentBase64: await toBase64(document.file) });
    else {
      const file = await uploadFile(document.file, (fraction) => onProgress((done + fraction * document.sizeBytes) / total));
      staged.push(file.fileId);
      out.push({ fileName, mimeType, stagedFileId: file.fileId });
    }
    done += document.sizeBytes;
    onProgress(done / total);
  }
  return out;
}
