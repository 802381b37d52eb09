// npx tsx tests/tools/syncScreenshots.ts URL [OUT_DIR]: the team sync status (app shell) and Settings → Team
// sync in every state the job reports — off, up to date, changes waiting, a first pull under way, offline,
// each problem, colleagues' changes waiting and possible duplicates — in light and dark, English and Spanish.
// The states come from the real renderer fed with the sync channels' answers (the job's own states need a
// server in each condition); point it at a running browser shell (npm run web -- --db FILE).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { SyncSettings, SyncStatus } from '../../contract/teamSync';

const [url, outDir = 'screenshots'] = process.argv.slice(2);
if (!url) {
  console.error('Usage: npx tsx tests/tools/syncScreenshots.ts URL [OUT_DIR]');
  process.exit(1);
}

const now = Date.now();
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const base: SyncStatus = { state: 'idle', pending: 0, lastSyncedAt: ago(3), offlineSince: null, problem: null, progress: null, parked: 0, duplicates: [], refused: 0, nextAttemptAt: null };
const on: SyncSettings = { url: 'https://sync.agencianorte.example', enabled: true, tokenSet: true, tokenStorage: 'database', deviceId: '01a24534-4ea5-7cdb-9689-e1fc4d2269e3', team: 'Agencia Norte', userEmail: 'ana@agencianorte.example' };

const states: { name: string; status: SyncStatus; settings: SyncSettings }[] = [
  { name: 'off', status: { ...base, state: 'off', lastSyncedAt: null }, settings: { ...on, url: null, enabled: false, tokenSet: false, team: null, userEmail: null } },
  { name: 'up-to-date', status: base, settings: on },
  { name: 'waiting', status: { ...base, pending: 12 }, settings: on },
  { name: 'first-pull', status: { ...base, state: 'syncing', lastSyncedAt: null, progress: { phase: 'pull', done: 42_000, total: 100_000 } }, settings: on },
  { name: 'offline', status: { ...base, state: 'offline', pending: 37, lastSyncedAt: ago(130), offlineSince: ago(125), nextAttemptAt: new Date(now + 90_000).toISOString() }, settings: on },
  { name: 'token-refused', status: { ...base, state: 'error', pending: 5, problem: { code: 'token_refused' } }, settings: on },
  { name: 'clock-ahead', status: { ...base, state: 'error', pending: 2, problem: { code: 'clock_ahead', minutes: 12 } }, settings: on },
  { name: 'not-a-server', status: { ...base, state: 'error', lastSyncedAt: null, problem: { code: 'not_a_server' } }, settings: { ...on, team: null, userEmail: null } },
  { name: 'notes', status: { ...base, parked: 3, duplicates: ['a', 'b'], refused: 1 }, settings: on },
];

async function show(page: Page, state: (typeof states)[number]) {
  await page.unroute('**/api/sync.status');
  await page.unroute('**/api/sync.settings');
  await page.route('**/api/sync.status', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, data: state.status }) }));
  await page.route('**/api/sync.settings', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, data: state.settings }) }));
  await page.goto(new URL('#/settings', url).toString().replace(/\?token=[^#]*/, ''));
  await page.reload();
  const section = page.getByRole('region', { name: /Team sync|Sincronización/ });
  await section.scrollIntoViewIfNeeded();
  await page.waitForTimeout(600);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: 'en-GB', timezoneId: 'Europe/Madrid', reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(url!);
    await page.waitForSelector('nav');
    for (const language of ['en', 'es'] as const) {
      await page.evaluate((lang) => window.api.settings.set({ language: lang }), language);
      for (const state of states) {
        await show(page, state);
        const file = `sync-${state.name}-${language}-${scheme}.png`;
        await page.screenshot({ path: path.join(outDir, file) });
        console.log(file);
      }
    }
    await page.evaluate(() => window.api.settings.set({ language: 'en' }));
    await context.close();
  }
  await browser.close();
}

await main();
