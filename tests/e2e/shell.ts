import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

export interface Shell {
  url: string;
  dbFile: string;
  stop(): Promise<void>;
}

const urlPattern = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/;

/** Starts the real browser shell (`npm run web`) as a separate process on a database file. */
export async function startShell(dbFile: string): Promise<Shell> {
  const child: ChildProcess = spawn(path.resolve('node_modules/.bin/tsx'), ['main/web/cli.ts', '--db', dbFile, '--port', '0', '--no-build'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    // A ceiling for a shell that hangs: starting tsx and the runtime takes a few seconds, more on a slow machine.
    const timer = setTimeout(() => reject(new Error(`shell did not start:\n${stdout}\n${stderr}`)), 90_000);
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      const match = urlPattern.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`shell exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    dbFile,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const test = base.extend<{ dataDir: string; shell: Shell; app: Page }>({
  // Playwright reads fixture dependencies from the destructuring pattern, so an empty one is required.
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-e2e-'));
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
  shell: async ({ dataDir }, use) => {
    const shell = await startShell(path.join(dataDir, 'clients.sqlite'));
    await use(shell);
    await shell.stop();
  },
  /** The app opened in Chromium, past the loading screen. */
  app: async ({ page, shell }, use) => {
    await page.goto(shell.url);
    await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
    await use(page);
  },
});

export { expect };
