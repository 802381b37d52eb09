import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { expect, startShell, test } from './shell';

async function addClient(page: Page, companyName: string) {
  await page.evaluate(async (name) => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    const created = await window.api.clients.create({ companyName: name, email: `info@${name.toLowerCase().replace(/\W/g, '')}.es`, areaId: areas.data[0]!.id });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
  }, companyName);
}

const backupCount = (page: Page) => page.evaluate(async () => {
  const status = await window.api.backups.list({});
  return status.ok ? status.data.backups.length : -1;
});

test('Settings lists the day’s backup, backs up on demand, and restores a backup after a safety copy', async ({ app }) => {
  // The shell took the day's copy when it started (on its own thread); the page asks once it is there.
  await expect.poll(() => backupCount(app)).toBe(1);
  await addClient(app, 'Kept Company');

  await app.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
  const backups = app.getByRole('table', { name: 'Automatic backups' });
  await expect(backups.getByRole('row')).toHaveCount(2);
  await expect(backups).toContainText('Daily');

  await app.getByRole('button', { name: 'Back up now' }).click();
  await expect(app.getByText(/^Backup saved/)).toBeVisible();
  await expect(backups.getByRole('row')).toHaveCount(3);
  await expect(backups.getByRole('row').nth(1)).toContainText('Manual');

  await addClient(app, 'Added Later');
  await backups.getByRole('row').nth(1).getByRole('button', { name: /^Restore the backup of/ }).click();
  const confirm = app.getByRole('dialog', { name: 'Restore this backup?' });
  await expect(confirm).toContainText('backed up first');
  await confirm.getByRole('button', { name: 'Restore' }).click();

  // The window reloads on the restored data and says so.
  await expect(app.getByText(/^The backup of .* is restored\.$/)).toBeVisible();
  await expect(app.getByRole('table', { name: 'Automatic backups' })).toContainText('Before a restore');
  await app.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Clients' }).click();
  const list = app.getByRole('table', { name: 'Clients' });
  await expect(list.getByRole('row', { name: /Kept Company/ })).toBeVisible();
  await expect(list.getByRole('row', { name: /Added Later/ })).toHaveCount(0);
});

test('a database from a newer version is refused with an explanation and left byte for byte as it was', async ({ page, dataDir }) => {
  const file = path.join(dataDir, 'newer', 'clients.sqlite');
  fs.mkdirSync(path.dirname(file));
  const db = new Database(file);
  db.exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ('0001-initial', 'x'), ('0999-from-the-future', 'y')`);
  db.close();
  const before = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const shell = await startShell(file);
  try {
    await page.goto(shell.url);
    await expect(page.getByRole('heading', { level: 1, name: 'This data was saved by a newer version of Clients' })).toBeVisible();
    await expect(page.getByText('Update Clients to the latest version')).toBeVisible();
    await expect(page.getByText(file)).toBeVisible();
  } finally {
    await shell.stop();
  }
  expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(before);
});

test('a second browser shell on the same data folder says Clients is already open there', async ({ app, shell, page, dataDir }) => {
  await addClient(app, 'First Shell Data');
  const second = await startShell(shell.dbFile);
  try {
    const other = await page.context().newPage();
    await other.goto(second.url);
    await expect(other.getByRole('heading', { level: 1, name: 'Clients is already open with this data' })).toBeVisible();
    await expect(other.getByText(dataDir)).toBeVisible();
  } finally {
    await second.stop();
  }
  // The first one goes on as before.
  await app.reload();
  await expect(app.getByRole('table', { name: 'Clients' }).getByRole('row', { name: /First Shell Data/ })).toBeVisible();
});
