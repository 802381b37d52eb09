import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, FileTooLargeError, isRunnable, sanitizeFileName } from '../../main/files/fileStore';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('file store', () => {
  it('names files by their SHA-256 and stores the same bytes once', () => {
    const store = createFileStore(dir);
    const a = store.put(Buffer.from('hello'), 1024);
    const b = store.put(Buffer.from('hello'), 1024);
    expect(a.sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(b).toEqual(a);
    const files = fs.readdirSync(path.join(dir, '2c'));
    expect(files).toEqual([a.sha256]);
    expect(store.read(a.sha256).toString()).toBe('hello');
  });

  it('refuses a file over the size limit with a clear error and stores nothing', () => {
    const store = createFileStore(dir);
    expect(() => store.put(Buffer.alloc(2048), 1024)).toThrow(FileTooLargeError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('never turns anything but a hex digest into a path', () => {
    const store = createFileStore(dir);
    for (const evil of ['../../etc/passwd', '/etc/passwd', '..', 'C:\\Windows\\win.ini', 'a'.repeat(63) + '/', '%2e%2e%2f']) {
      expect(() => store.pathOf(evil)).toThrow();
      expect(() => store.remove(evil)).toThrow();
    }
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['/etc/shadow', 'shadow'],
    ['C:\\Users\\ana\\Desktop\\oferta.pdf', 'oferta.pdf'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['informe: "Q3" <final>?.docx', 'informe_ _Q3_ _final__.docx'],
    ['con.txt', '_con.txt'],
    ['  .hidden.  ', 'hidden'],
    ['line\nbreak\t.pdf', 'line_break_.pdf'],
    ['', 'document'],
    ['..', 'document'],
    ['Propuesta económica.pdf', 'Propuesta económica.pdf'],
  ])('%j → %j', (input, expected) => expect(sanitizeFileName(input)).toBe(expected));

  it('keeps long names within 150 characters and their extension', () => {
    const name = sanitizeFileName(`${'x'.repeat(400)}.pdf`);
    expect(name.length).toBe(150);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('isRunnable', () => {
  it('recognises executables and scripts, whatever the case', () => {
    for (const name of ['setup.exe', 'RUN.BAT', 'script.ps1', 'install.sh', 'macro.vbs', 'tool.jar', 'App.AppImage']) expect(isRunnable(name)).toBe(true);
    for (const name of ['cv.pdf', 'contrato.docx', 'foto.png', 'notas.txt', 'datos.xlsx']) expect(isRunnable(name)).toBe(false);
  });

  it('also refuses pages, disk images, shortcuts, installers and script hosts of every desktop', () => {
    const kinds = [
      'html', 'htm', 'svg', 'chm', 'jnlp', 'msc', 'iso', 'img', 'vhd', 'vhdx', 'appref-ms', 'library-ms', 'settingcontent-ms', 'scpt', 'terminal', 'tool', 'webloc', 'xll',
      'hta', 'url', 'lnk', 'scf', 'cpl', 'msi', 'msix', 'appx', 'reg', 'ps1', 'vbs', 'js', 'jse', 'wsf', 'jar', 'app', 'command', 'pkg', 'dmg', 'desktop', 'sh',
    ];
    for (const kind of kinds) {
      expect(isRunnable(`oferta.${kind}`), kind).toBe(true);
      expect(isRunnable(`OFERTA.${kind.toUpperCase()}`), kind).toBe(true);
    }
  });

  it('judges the name as the opened copy is saved: trailing dots and spaces do not hide an extension', () => {
    for (const name of ['invoice.exe.', 'invoice.exe ', 'invoice.exe. . ', 'folder/invoice.pdf.lnk', 'C:\\x\\cv.pdf.hta']) expect(isRunnable(name), name).toBe(true);
    for (const name of ['invoice.pdf.', 'sin-extension', '.bashrc-notes.txt', 'cv.exe.pdf']) expect(isRunnable(name), name).toBe(false);
  });
});

describe('file store, streamed', () => {
  async function* chunks(...parts: string[]) {
    for (const part of parts) yield Buffer.from(part);
  }

  it('stores a stream under its digest, once, and leaves no temporary file behind', async () => {
    const store = createFileStore(dir);
    const streamed = await store.putStream(chunks('hel', 'lo'), 1024);
    expect(streamed).toEqual(store.put(Buffer.from('hello'), 1024));
    expect(await store.putStream(chunks('hello'), 1024)).toEqual(streamed);
    expect(fs.readdirSync(dir)).toEqual(['2c']);
  });

  it('refuses a stream past the limit and keeps nothing of it', async () => {
    const store = createFileStore(dir);
    await expect(store.putStream(chunks('12345', '67890'), 8)).rejects.toBeInstanceOf(FileTooLargeError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
