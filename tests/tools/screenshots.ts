// npm run screenshots -- URL [OUT_DIR]: captures the main screens, a client's tabs and the main modals in
// light and dark, English and Spanish, from a running browser shell (npm run web) on a database with clients
// (npm run seed), for reviewing what recruiters will see.
//
// SHOT_IMPORT=FILE also walks the import wizard through FILE (mapping, preview, the strict switch, dry run,
// result) and SHOT_ONLY=import does only that; SHOT_SCHEMES and SHOT_LANGUAGES narrow the runs (an import
// writes: give each run a fresh database so every one shows the same first import).
// SHOT_MODE=backups captures the Settings page's backups section; SHOT_MODE=startup the screen shown when
// the app did not open its data (a newer or foreign database, a second instance), in the browser's language.
// SHOT_MODE=documents captures the event modal refusing documents: one past the Settings limit when picked
// (the notice), and one refused by main on Save after the limit was lowered elsewhere (the line under it).
// SHOT_NAME prefixes the file names (e.g. backups-empty, startup-newer).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { translator } from '../../renderer/i18n';

const [url, outDir = 'screenshots'] = process.argv.slice(2);
if (!url) {
  console.error('Usage: npm run screenshots -- URL [OUT_DIR]');
  process.exit(1);
}

const routes = (process.env.SHOT_ROUTES ?? 'clients,dashboard,settings,jobs,leads').split(',');
const importFile = process.env.SHOT_IMPORT;
const onlyImport = process.env.SHOT_ONLY === 'import';
const schemes = (process.env.SHOT_SCHEMES ?? 'light,dark').split(',') as ('light' | 'dark')[];
const languages = (process.env.SHOT_LANGUAGES ?? 'en,es').split(',') as ('en' | 'es')[];

async function capture(page: Page, name: string) {
  // Data arrives after the frame: give lists and charts a moment to fill.
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(outDir, `${name}.png`) });
  console.log(`${name}.png`);
}

/** A client's four tabs, its edit modal, and the import and export modals of the list. */
async function captureClient(page: Page, language: 'en' | 'es', suffix: string) {
  const t = translator(language);
  await page.goto(new URL('#/clients', url).toString().replace(/\?token=[^#]*/, ''));
  await page.locator('[role=table] [role=row][aria-rowindex]').first().click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  for (const [tab, key] of [['profile', 'detail.tab.profile'], ['contacts', 'detail.tab.contacts'], ['events', 'detail.tab.events'], ['jobs', 'detail.tab.jobs']] as const) {
    await page.getByRole('tab', { name: new RegExp(t(key)) }).click();
    await capture(page, `client-${tab}-${suffix}`);
  }
  await page.getByRole('button', { name: t('detail.edit') }).click();
  await capture(page, `client-edit-${suffix}`);
  await page.keyboard.press('Escape');
  await page.goto(new URL('#/clients', url).toString().replace(/\?token=[^#]*/, ''));
  for (const [menu, item, name] of [['transfer.importMenu', 'transfer.menu.importTable', 'import'], ['transfer.exportMenu', 'transfer.menu.exportList', 'export']] as const) {
    await page.getByRole('button', { name: t(menu) }).click();
    await page.getByRole('menuitem', { name: t(item) }).click();
    await capture(page, `clients-${name}-${suffix}`);
    await page.keyboard.press('Escape');
  }
}

/** The import wizard through a file: its mapping, the checked preview, the strict switch, a dry run and the import. */
async function captureImport(page: Page, file: string, language: 'en' | 'es', suffix: string) {
  const t = translator(language);
  await page.setViewportSize({ width: 1440, height: 1300 });
  await page.goto(new URL('#/clients', url).toString().replace(/\?token=[^#]*/, ''));
  await page.getByRole('button', { name: t('transfer.importMenu') }).click();
  await page.getByRole('menuitem', { name: t('transfer.menu.importTable') }).click();
  const dialog = page.getByRole('dialog', { name: t('import.title') });
  await dialog.locator('input[type=file]').setInputFiles(file);
  await dialog.getByText(t('import.mapping.help')).waitFor();
  if (await dialog.getByText(t('import.mapping.missing', { fields: t('import.field.area') })).isVisible()) {
    await dialog.getByRole('combobox', { name: t('import.defaults.area'), exact: true }).click();
    await page.getByRole('option', { name: t('area.other') }).click();
  }
  await capture(page, `import-mapping-${suffix}`);
  await dialog.getByRole('button', { name: t('import.next') }).click();
  await dialog.getByRole('table').last().waitFor();
  await capture(page, `import-preview-${suffix}`);
  const strict = dialog.getByRole('switch', { name: t('import.strict') });
  await strict.check();
  await capture(page, `import-strict-${suffix}`);
  await strict.uncheck();
  await dialog.getByRole('button', { name: t('import.dryRun') }).click();
  await dialog.getByText(t('import.dryRunDone')).waitFor();
  await capture(page, `import-dryrun-${suffix}`);
  await dialog.getByRole('button', { name: new RegExp(`^${t('import.start', { count: 2 }).replace(/\d+/, '[\\d.,]+')}$`) }).click();
  await dialog.getByText(t('import.finished')).waitFor();
  await capture(page, `import-result-${suffix}`);
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1440, height: 900 });
}

const appUrl = (hash: string) => new URL(hash, url).toString().replace(/\?token=[^#]*/, '');

/** The backups section of Settings, as an element, in both languages. */
async function captureBackups(page: Page, scheme: string, name: string) {
  for (const language of ['en', 'es'] as const) {
    const t = translator(language);
    await page.evaluate((lang) => window.api.settings.set({ language: lang }), language);
    await page.goto(appUrl('#/settings'));
    await page.reload();
    const section = page.locator('.mantine-Card-root', { has: page.getByRole('heading', { name: t('backups.title') }) });
    await section.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await section.screenshot({ path: path.join(outDir, `${name}-${language}-${scheme}.png`) });
    console.log(`${name}-${language}-${scheme}.png`);
  }
  await page.evaluate(() => window.api.settings.set({ language: 'en' }));
}

/** The event modal refusing a document past the limit (picked, then on Save), in both languages. */
async function captureDocuments(page: Page, scheme: string, name: string) {
  const clientId = await page.evaluate(async () => {
    const list = await window.api.clients.list({ limit: 1 });
    if (!list.ok || !list.data.rows[0]) throw new Error('No client: seed the database first (npm run seed).');
    return list.data.rows[0].id;
  });
  const large = Buffer.alloc(2.5 * 1024 * 1024, 'a');
  for (const language of languages) {
    const t = translator(language);
    await page.evaluate((lang) => window.api.settings.set({ language: lang, attachmentLimitMb: 3 }), language);
    await page.goto(appUrl(`#/clients/${clientId}/events`));
    await page.reload();
    await page.getByRole('button', { name: t('events.add') }).click();
    const dialog = page.getByRole('dialog', { name: t('events.add') });
    await dialog.getByLabel(t('events.title')).fill(language === 'en' ? 'Signed contract' : 'Contrato firmado');
    const picker = dialog.getByLabel(t('events.chooseFiles'));
    await picker.setInputFiles({ name: 'contract-signed-2026.pdf', mimeType: 'application/pdf', buffer: large });
    await picker.setInputFiles({ name: 'scans-all-pages.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(3 * 1024 * 1024 + 1) });
    await capture(page, `${name}-picked-${language}-${scheme}`);
    await page.evaluate(() => window.api.settings.set({ attachmentLimitMb: 1 }));
    await dialog.getByRole('button', { name: t('common.save') }).click();
    await dialog.getByText(t('validation.file_too_large_limit', { limitMb: 1 })).waitFor();
    await capture(page, `${name}-refused-${language}-${scheme}`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  }
  await page.evaluate(() => window.api.settings.set({ language: 'en', attachmentLimitMb: 25 }));
}

async function main() {
  fs.mkdirSync(outDir!, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const mode = process.env.SHOT_MODE ?? 'app';
  if (mode === 'startup') {
    // No settings can be read: the screen follows the browser's language.
    for (const scheme of schemes) {
      for (const [language, locale] of [['en', 'en-GB'], ['es', 'es-ES']] as const) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale, reducedMotion: 'reduce' });
        const page = await context.newPage();
        await page.goto(url!);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await capture(page, `${process.env.SHOT_NAME ?? 'startup'}-${language}-${scheme}`);
        await context.close();
      }
    }
    await browser.close();
    return;
  }
  if (mode === 'documents') {
    for (const scheme of schemes) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: 'en-GB', reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(url!);
      await page.waitForSelector('nav');
      await captureDocuments(page, scheme, process.env.SHOT_NAME ?? 'event-documents');
      await context.close();
    }
    await browser.close();
    return;
  }
  if (mode === 'backups') {
    for (const scheme of schemes) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: 'en-GB', reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(url!);
      await page.waitForSelector('nav');
      await captureBackups(page, scheme, process.env.SHOT_NAME ?? 'backups');
      await context.close();
    }
    await browser.close();
    return;
  }
  for (const scheme of schemes) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: 'en-GB', reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(url!);
    await page.waitForSelector('nav');
    for (const language of languages) {
      await page.evaluate((lang) => window.api.settings.set({ language: lang }), language);
      if (!onlyImport) {
        for (const route of routes) {
          await page.goto(new URL(`#/${route}`, url).toString().replace(/\?token=[^#]*/, ''));
          await page.reload();
          await page.waitForSelector('nav');
          await capture(page, `${route.replace(/\//g, '_')}-${language}-${scheme}`);
        }
        await captureClient(page, language, `${language}-${scheme}`);
      } else {
        await page.reload();
        await page.waitForSelector('nav');
      }
      if (importFile) await captureImport(page, path.resolve(importFile), language, `${language}-${scheme}`);
    }
    await page.evaluate(() => window.api.settings.set({ language: 'en' }));
    await context.close();
  }
  await browser.close();
}

void main();
