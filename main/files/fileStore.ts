import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class FileTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The file is larger than ${Math.round(limitBytes / 1024 / 1024)} MB.`);
  }
}

/**
 * Documents stored by content: the SHA-256 of the bytes is the file name, so the same document attached
 * twice is stored once, and a stored file can never be renamed into another's place. Only hex digests
 * ever become paths, which rules out traversal whatever name the user's file had.
 */
export interface FileStore {
  root: string;
  put(bytes: Buffer, limitBytes: number): { sha256: string; sizeBytes: number };
  read(sha256: string): Buffer;
  pathOf(sha256: string): string;
  has(sha256: string): boolean;
  remove(sha256: string): void;
  /** Moves a file written elsewhere (a download) into the store when its bytes hash to `sha256`; false (and left alone) when not. */
  adopt(file: string, sha256: string): Promise<boolean>;
}

const digestPattern = /^[0-9a-f]{64}$/;

export function createFileStore(root: string): FileStore {
  const pathOf = (sha256: string) => {
    if (!digestPattern.test(sha256)) throw new Error('Invalid document reference.');
    return path.join(root, sha256.slice(0, 2), sha256);
  };
  return {
    root,
    pathOf,
    put(bytes, limitBytes) {
      if (bytes.length > limitBytes) throw new FileTooLargeError(limitBytes);
      const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
      const target = pathOf(sha256);
      if (!fs.existsSync(target)) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        // Written under a temporary name and renamed: a crash never leaves a half file under a real digest.
        const temporary = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
        fs.writeFileSync(temporary, bytes);
        fs.renameSync(temporary, target);
      }
      return { sha256, sizeBytes: bytes.length };
    },
    async adopt(file, sha256) {
      const target = pathOf(sha256);
      const hash = crypto.createHash('sha256');
      for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
      if (hash.digest('hex') !== sha256) return false;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (!fs.existsSync(target)) fs.renameSync(file, target);
      return true;
    },
    read: (sha256) => fs.readFileSync(pathOf(sha256)),
    has: (sha256) => fs.existsSync(pathOf(sha256)),
    remove(sha256) {
      fs.rmSync(pathOf(sha256), { force: true });
    },
  };
}

const reservedWindowsNames = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** A file name safe on every OS: no folders, no control or reserved characters, no reserved device names. */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let clean = base
    .normalize('NFC')
    // Control characters (code points below 32 and DEL) and characters Windows reserves become "_".
    .replace(/[<>:"|?*]/g, '_')
    .replace(/./gsu, (ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? '_' : ch))
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .trim();
  if (reservedWindowsNames.test(clean)) clean = `_${clean}`;
  if (clean.length > 150) {
    const ext = path.extname(clean).slice(0, 20);
    clean = clean.slice(0, 150 - ext.length) + ext;
  }
  return clean || 'document';
}

const runnable = new Set([
  'exe', 'msi', 'bat', 'cmd', 'com', 'scr', 'pif', 'cpl', 'dll', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'hta', 'jar',
  'sh', 'bash', 'zsh', 'command', 'app', 'pkg', 'dmg', 'deb', 'rpm', 'appimage', 'run', 'bin', 'py', 'pl', 'rb', 'php', 'lnk', 'url', 'reg', 'desktop',
]);

/** Executables and scripts are never opened directly, only shown in their folder. */
export function isRunnable(fileName: string): boolean {
  return runnable.has(path.extname(fileName).slice(1).toLowerCase());
}
