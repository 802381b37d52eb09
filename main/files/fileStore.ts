import crypto from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
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
  /** Like put, for bytes that arrive as a stream (a document inside a backup): never held in memory whole. */
  putStream(source: AsyncIterable<Buffer>, limitBytes: number): Promise<{ sha256: string; sizeBytes: number }>;
  read(sha256: string): Buffer;
  pathOf(sha256: string): string;
  has(sha256: string): boolean;
  remove(sha256: string): void;
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
    async putStream(source, limitBytes) {
      fs.mkdirSync(root, { recursive: true });
      // Written beside the digests' folders under a temporary name (the digest is only known at the end), then
      // renamed into place: same folder tree, same file system, so the rename is atomic.
      const temporary = path.join(root, `incoming.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
      const out = fs.createWriteStream(temporary);
      const hash = crypto.createHash('sha256');
      let sizeBytes = 0;
      try {
        for await (const chunk of source) {
          sizeBytes += chunk.length;
          if (sizeBytes > limitBytes) throw new FileTooLargeError(limitBytes);
          hash.update(chunk);
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        // 'close', not 'finish': Windows refuses to rename a file whose handle is still open.
        await once(out, 'close');
        const sha256 = hash.digest('hex');
        const target = pathOf(sha256);
        if (fs.existsSync(target)) fs.rmSync(temporary, { force: true });
        else {
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.renameSync(temporary, target);
        }
        return { sha256, sizeBytes };
      } catch (error) {
        if (!out.closed) {
          out.destroy();
          await once(out, 'close').catch(() => undefined);
        }
        fs.rmSync(temporary, { force: true });
        throw error;
      }
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

/**
 * Extensions the operating system may run, install, mount or hand to a script host instead of showing as
 * a document. Opening one of these from an attachment would run whatever a sender put in it, so the app only
 * reveals it in its folder.
 */
const runnable = new Set([
  // Windows programs, installers and libraries.
  'exe', 'com', 'scr', 'pif', 'cpl', 'dll', 'ocx', 'sys', 'drv', 'msi', 'msp', 'mst', 'msu', 'msix', 'msixbundle', 'appx', 'appxbundle',
  'application', 'appref-ms', 'xbap', 'gadget', 'diagcab', 'msc', 'xll', 'xla', 'xlam', 'ppa', 'ppam', 'ade', 'adp', 'mde', 'accde', 'mda',
  // Windows scripts and script hosts.
  'bat', 'cmd', 'ps1', 'psm1', 'psd1', 'ps1xml', 'ps2', 'ps2xml', 'psc1', 'psc2', 'msh', 'msh1', 'msh2', 'mshxml', 'msh1xml', 'msh2xml',
  'vb', 'vbs', 'vbe', 'js', 'jse', 'ws', 'wsf', 'wsc', 'wsh', 'sct', 'hta', 'htc', 'chm', 'hlp', 'inf', 'ins', 'isp', 'reg', 'job', 'mof',
  // Windows shortcuts, shell and search files that point at or run something else.
  'lnk', 'url', 'website', 'scf', 'shb', 'shs', 'xnk', 'library-ms', 'settingcontent-ms', 'search-ms', 'searchconnector-ms', 'theme', 'themepack',
  // Disk images, mounted (and their programs offered to run) by a double click.
  'iso', 'img', 'vhd', 'vhdx', 'dmg', 'sparseimage', 'sparsebundle',
  // Pages and images a browser opens with scripts running, from a local file.
  'html', 'htm', 'xhtml', 'shtml', 'mht', 'mhtml', 'svg', 'svgz', 'xsl', 'xslt',
  // Java, cross-platform.
  'jar', 'jnlp',
  // macOS applications, installers, scripts and shortcuts.
  'app', 'pkg', 'mpkg', 'command', 'tool', 'terminal', 'scpt', 'scptd', 'applescript', 'workflow', 'action', 'osax', 'prefpane', 'kext',
  'webloc', 'inetloc', 'fileloc', 'afploc',
  // Linux and Unix programs, packages, scripts and launchers.
  'sh', 'bash', 'zsh', 'ksh', 'csh', 'fish', 'run', 'bin', 'out', 'elf', 'appimage', 'deb', 'rpm', 'snap', 'flatpak', 'flatpakref', 'desktop',
  // Interpreted scripts a desktop may run with their interpreter.
  'py', 'pyw', 'pyc', 'pyo', 'pyz', 'pyzw', 'pl', 'rb', 'php', 'lua', 'tcl',
]);

/**
 * Executables and scripts are never opened directly, only shown in their folder. The name is first cleaned
 * as the opened copy's name is (sanitizeFileName): "invoice.exe." or "invoice.exe " is saved as
 * "invoice.exe", and must be judged by that.
 */
export function isRunnable(fileName: string): boolean {
  return runnable.has(path.extname(sanitizeFileName(fileName)).slice(1).toLowerCase());
}
