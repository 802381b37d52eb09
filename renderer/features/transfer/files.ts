import { uploadChunkBytes, type StagedFile } from '../../../contract/transfer';
import { api, must } from '../../lib/api';

const toBase64 = (bytes: Uint8Array) => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

/**
 * Sends a file the user picked or dropped to main in 2 MiB slices (the browser shell's way in; the desktop
 * app can also use its open dialog). Only a slice is ever in memory, whatever the file's size.
 */
export async function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<StagedFile> {
  const staged = await must(api().files.beginUpload({ fileName: file.name, sizeBytes: file.size }));
  try {
    for (let offset = 0; offset < file.size; offset += uploadChunkBytes) {
      const slice = new Uint8Array(await file.slice(offset, offset + uploadChunkBytes).arrayBuffer());
      await must(api().files.appendUpload({ fileId: staged.fileId, offset, chunkBase64: toBase64(slice) }));
      onProgress(Math.min(1, (offset + slice.length) / Math.max(file.size, 1)));
    }
  } catch (error) {
    // Half an upload is of no use: its room goes back at once (main caps the uploads in progress).
    void api().files.discard({ fileId: staged.fileId });
    throw error;
  }
  onProgress(1);
  return { ...staged, sizeBytes: file.size };
}

/** Pulls a staged file from main slice by slice and hands it to the browser as a download. */
export async function downloadFile(file: StagedFile): Promise<void> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const chunk: { chunkBase64: string; nextOffset: number | null } = await must(api().files.read({ fileId: file.fileId, offset }));
    parts.push(Uint8Array.from(atob(chunk.chunkBase64), (c) => c.charCodeAt(0)));
    offset = chunk.nextOffset;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export type Delivery = { kind: 'saved'; path: string } | { kind: 'downloaded' } | { kind: 'dismissed' };

/** The desktop app asks where to save (system dialog); the browser shell downloads. */
export async function deliverFile(file: StagedFile, shell: 'electron' | 'browser'): Promise<Delivery> {
  if (shell === 'browser') {
    await downloadFile(file);
    return { kind: 'downloaded' };
  }
  const { savedPath } = await must(api().files.saveAs({ fileId: file.fileId }));
  return savedPath ? { kind: 'saved', path: savedPath } : { kind: 'dismissed' };
}
