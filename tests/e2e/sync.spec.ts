import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, startShell, test, type Shell } from './shell';

// Team sync end to end, as two recruiters see it: two browser shells (two laptops, two databases) and the
// real sync server (embedded PostgreSQL in a folder, as `npm run server` runs for a trial). Set up in
// Settings → Team sync; a client created on one laptop appears on the other after "Sync now"; the same
// client edited on both shows the later edit on both and the earlier value in the history; with the server
// stopped the status says offline, and when it returns sync recovers by itself.

const root = path.resolve('.');

function runServer(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(path.join(root, 'node_modules/.bin/tsx'), ['server/src/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs an admin command to its end and returns what it printed. */
function admin(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = runServer(args, env);
    let out = '';
    child.stdout!.on('data', (c) => (out += String(c)));
    child.stderr!.on('data', (c) => (out += String(c)));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`server ${args.join(' ')}: ${out}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The server on a fixed port (a laptop's settings name it), startable again after a stop. */
async function serve(env: Record<string, string>, port: number) {
  const child = runServer(['serve', '--port', String(port)], { ...env, LOG_LEVEL: 'info' }); // says when it listens
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += String(c);
      if (out.includes('listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function openApp(page: Page, shell: Shell) {
  await page.goto(shell.url);
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
}

async function setUpSync(page: Page, url: string, token: string) {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Team sync' });
  await section.getByLabel('Server address').fill(url);
  await section.getByLabel('Device token').fill(token);
  await section.getByRole('button', { name: 'Test connection' }).click();
  await expect(section.getByText(/Connected to team “Agencia Norte”/)).toBeVisible();
  const toggle = section.getByRole('switch', { name: 'Sync this laptop with the team' });
  await toggle.click(); // on once the settings are saved
  await expect(toggle).toBeChecked();
  await expect(page.getByRole('status', { name: 'Team sync' }).getByText('Up to date')).toBeVisible();
}

const syncNow = async (page: Page) => {
  const status = page.getByRole('status', { name: 'Team sync' });
  await status.getByRole('button', { name: 'Sync now' }).click();
  await expect(status.getByText('Up to date')).toBeVisible();
};

async function editPhone(page: Page, clientId: string, phone: string) {
  await page.goto(new URL(`#/clients/${clientId}`, page.url()).toString());
  await expect(page.getByRole('heading', { name: 'Sincronizada SL', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Sincronizada SL' });
  await dialog.getByLabel('Phone').fill(phone);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
}

test.describe('team sync between two laptops', () => {
  // Two shells, two renderers and the server share the machine: a budget for slow machines, never a wait.
  test.describe.configure({ timeout: 300_000 });

  test('a client travels, the later edit wins on both with the earlier kept in history, and offline recovers by itself', async ({ browser }) => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-e2e-sync-'));
    const env = { DATA_DIR: path.join(work, 'server'), LOG_LEVEL: 'warn' };
    await admin(['team', 'add', 'Agencia Norte'], env);
    const tokens: string[] = [];
    for (const email of ['ana@norte.example', 'luis@norte.example']) {
      const printed = await admin(['device', 'add', '--team', 'Agencia Norte', '--user', email], env);
      tokens.push(/^\s+([A-Za-z0-9_-]{30,})\s*$/m.exec(printed)![1]!);
    }
    const port = await freePort();
    let server = await serve(env, port);
    const url = `http://127.0.0.1:${port}`;
    for (const who of ['ana', 'luis']) fs.mkdirSync(path.join(work, who), { recursive: true });
    const shells = [await startShell(path.join(work, 'ana', 'clients.sqlite')), await startShell(path.join(work, 'luis', 'clients.sqlite'))];
    const [ana, luis] = [await browser.newPage(), await browser.newPage()];
    try {
      await openApp(ana, shells[0]!);
      await openApp(luis, shells[1]!);
      await setUpSync(ana, url, tokens[0]!);
      await setUpSync(luis, url, tokens[1]!);

      // Created on Ana's laptop, on Luis's after a sync.
      const clientId = await ana.evaluate(async () => {
        const areas = await window.api.areas.list({});
        const created = await window.api.clients.create({ companyName: 'Sincronizada SL', email: 'info@sincronizada.es', areaId: areas.ok ? areas.data[0]!.id : '' });
        if (!created.ok) throw new Error(JSON.stringify(created.error));
        return created.data.id;
      });
      await syncNow(ana);
      await syncNow(luis);
      await luis.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Clients' }).click();
      await expect(luis.getByText('Sincronizada SL')).toBeVisible();

      // Both edit the phone offline; Ana's edit is the later one and wins on both laptops.
      await editPhone(luis, clientId, '912 000 111');
      await editPhone(ana, clientId, '913 222 333');
      await syncNow(luis);
      await syncNow(ana);
      await syncNow(luis);
      for (const page of [ana, luis]) {
        await page.reload();
        await expect(page.getByText('+34 913 22 23 33').first()).toBeVisible();
      }
      const history = luis.getByRole('region', { name: 'History' });
      await expect(history.getByText('replaced the value written on this laptop')).toBeVisible();
      await expect(history.getByText('+34 912 00 01 11').first()).toBeVisible();
      await expect(history.getByText('on another laptop').first()).toBeVisible();

      // The server goes away: a change waits and the status says offline; when it is back, sync catches up alone.
      await server.stop();
      await editPhone(ana, clientId, '914 444 555');
      const status = ana.getByRole('status', { name: 'Team sync' });
      await status.getByRole('button', { name: 'Sync now' }).click();
      await expect(status.getByText(/Offline since/)).toBeVisible();
      server = await serve(env, port);
      await expect(status.getByText('Up to date')).toBeVisible({ timeout: 240_000 });
      await syncNow(luis);
      await luis.reload();
      await expect(luis.getByText('+34 914 44 45 55').first()).toBeVisible();
    } finally {
      await ana.close();
      await luis.close();
      for (const shell of shells) await shell.stop();
      await server.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
