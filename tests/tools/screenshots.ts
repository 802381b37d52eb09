// npm run screenshots -- URL [OUT_DIR]: captures the main screens in light and dark, English and Spanish,
// from a running browser shell (npm run web), for reviewing what recruiters will see.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';

const [url, outDir = 'screenshots'] = process.argv.slice(2);
if (!url) {
  console.error('Usage: npm run screenshots -- URL [OUT_DIR]');
  process.exit(1);
}

const routes = (process.env.SHOT_ROUTES ?? 'clients,dashboard,settings,jobs,leads').split(',');

async function capture(page: Page, name: string) {
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(outDir, `${name}.png`) });
  console.log(`${name}.png`);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(url!);
    await page.waitForSelector('nav');
    for (const language of ['en', 'es'] as const) {
      await page.evaluate((lang) => window.api.settings.set({ language: lang }), language);
      for (const route of routes) {
        await page.goto(new URL(`#/${route}`, url).toString().replace(/\?token=[^#]*/, ''));
        await page.reload();
        await page.waitForSelector('nav');
        await capture(page, `${route.replace(/\//g, '_')}-${language}-${scheme}`);
      }
    }
    await page.evaluate(() => window.api.settings.set({ language: 'en' }));
    await context.close();
  }
  await browser.close();
}

void main();
