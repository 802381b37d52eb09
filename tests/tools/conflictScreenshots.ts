// npx tsx tests/tools/conflictScreenshots.ts URL [OUT_DIR]: the edit-conflict notice of the client and the job
// posting modals, as two tabs of a running browser shell (npm run web -- --db FILE) produce it, in light and dark,
// English and Spanish. It adds its own clients (one per picture), so point it at a scratch database.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { translator } from '../../renderer/i18n';

const [url, outDir = 'screenshots'] = process.argv.slice(2);
if (!url) {
  console.error('Usage: npx tsx tests/tools/conflictScreenshots.ts URL [OUT_DIR]');
  process.exit(1);
}

const companies = [
  { companyName: 'Acme Iberia', email: 'info@acme.es' },
  { companyName: 'Telefónica Tech', email: 'talento@telefonicatech.es' },
  { companyName: 'Mercadona Logística', email: 'empleo@mercadona.es' },
  { companyName: 'Iberdrola Renovables', email: 'rrhh@iberdrola.es' },
];

type Seeded = { clientId: string; companyName: string; jobCode: string };

async function seed(page: Page, company: (typeof companies)[number]): Promise<Seeded> {
  return page.evaluate(async (c) => {
    const areas = await window.api.areas.list({});
    const users = await window.api.users.list({ includeInactive: false });
    if (!areas.ok || !users.ok) throw new Error('reference data');
    let team = users.data;
    for (const name of ['Ana García', 'Luis Pérez']) {
      if (!team.some((u) => u.name === name)) await window.api.users.create({ name, email: null });
    }
    const again = await window.api.users.list({ includeInactive: false });
    if (!again.ok) throw new Error('users');
    team = again.data;
    const ana = team.find((u) => u.name === 'Ana García')!.id;
    const client = await window.api.clients.create({
      ...c, areaId: areas.data[0]!.id, phone: '+34 912 345 678', website: null, comments: 'Met at the Madrid talent fair; wants two senior profiles before summer.', ownerId: ana,
      defaultFeePercent: 20, defaultGuaranteeDays: 90, defaultPaymentTermsDays: 30,
    });
    if (!client.ok) throw new Error(JSON.stringify(client.error));
    const job = await window.api.jobs.create({
      clientId: client.data.id, title: 'Senior Backend Engineer', status: 'open', openings: 2, location: 'Madrid', workMode: 'hybrid', salaryMinMinor: 4_500_000, salaryMaxMinor: 6_000_000,
      salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 20, probability: 50, expectedCloseDate: '2026-06-30', ownerId: ana,
    });
    if (!job.ok) throw new Error(JSON.stringify(job.error));
    return { clientId: client.data.id, companyName: client.data.companyName, jobCode: job.data.code };
  }, company);
}

const route = (page: Page, hash: string) => new URL(hash, page.url()).toString();

async function open(browser: Browser, scheme: 'light' | 'dark') {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: 'en-GB', timezoneId: 'Europe/Madrid', reducedMotion: 'reduce' });
  const tab = async () => {
    const page = await context.newPage();
    await page.goto(url!);
    await page.waitForSelector('nav');
    return page;
  };
  return { context, mine: await tab(), theirs: await tab() };
}

async function select(page: Page, dialog: ReturnType<Page['getByRole']>, label: string, option: string) {
  await dialog.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function main() {
  fs.mkdirSync(outDir!, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let next = 0;
  for (const scheme of ['light', 'dark'] as const) {
    for (const language of ['en', 'es'] as const) {
      const t = translator(language);
      const { context, mine, theirs } = await open(browser, scheme);
      await mine.evaluate((lang) => window.api.settings.set({ language: lang }), language);
      const { clientId, companyName, jobCode } = await seed(mine, companies[next++ % companies.length]!);
      for (const page of [mine, theirs]) {
        await page.goto(route(page, `#/clients/${clientId}`));
        await page.reload();
        await page.getByRole('heading', { name: companyName, level: 1 }).waitFor();
      }

      // The client: they change the email, status and owner; I change the email too, and the comments.
      const editTitle = t('clientForm.title.edit', { name: companyName });
      for (const page of [mine, theirs]) await page.getByRole('button', { name: t('detail.edit'), exact: true }).click();
      const theirClient = theirs.getByRole('dialog', { name: editTitle });
      await theirClient.getByLabel(t('clientForm.email')).fill(`ventas@${companies[(next - 1) % companies.length]!.email.split('@')[1]}`);
      await select(theirs, theirClient, t('clientForm.status'), t('status.paused'));
      await select(theirs, theirClient, t('clientForm.owner'), 'Luis Pérez');
      await theirClient.getByRole('button', { name: t('common.save') }).click();
      await theirClient.waitFor({ state: 'hidden' });
      const myClient = mine.getByRole('dialog', { name: editTitle });
      await myClient.getByLabel(t('clientForm.email')).fill(`compras@${companies[(next - 1) % companies.length]!.email.split('@')[1]}`);
      await myClient.getByLabel(t('clientForm.comments')).fill('Prefers calls in the morning; the hiring manager decides by Friday.');
      await myClient.getByRole('button', { name: t('common.save') }).click();
      await myClient.getByTestId('edit-conflict').waitFor();
      await mine.screenshot({ path: path.join(outDir!, `conflict-client-${language}-${scheme}.png`) });
      console.log(`conflict-client-${language}-${scheme}.png`);
      await myClient.getByRole('button', { name: t('conflict.reload') }).click();
      await myClient.getByRole('status').waitFor();
      await mine.screenshot({ path: path.join(outDir!, `conflict-client-reloaded-${language}-${scheme}.png`) });
      console.log(`conflict-client-reloaded-${language}-${scheme}.png`);
      await myClient.getByRole('button', { name: t('common.save') }).click();
      await myClient.waitFor({ state: 'hidden' });

      // A job posting: they raise the salary and the probability; I change the probability and the location.
      for (const page of [mine, theirs]) {
        await page.goto(route(page, `#/clients/${clientId}/jobs`));
        await page.getByRole('row', { name: /Senior Backend Engineer/ }).click();
      }
      const jobTitle = t('jobs.edit', { code: jobCode });
      const theirJob = theirs.getByRole('dialog', { name: jobTitle });
      await theirJob.getByLabel(t('jobs.field.salaryMax')).fill('65000');
      await theirJob.getByLabel(t('jobs.field.probability')).fill('70');
      await theirJob.getByRole('button', { name: t('common.save') }).click();
      await theirJob.waitFor({ state: 'hidden' });
      const myJob = mine.getByRole('dialog', { name: jobTitle });
      await myJob.getByLabel(t('jobs.field.probability')).fill('60');
      await myJob.getByLabel(t('jobs.field.location')).fill('Madrid or Barcelona');
      await myJob.getByRole('button', { name: t('common.save') }).click();
      await myJob.getByTestId('edit-conflict').waitFor();
      await mine.screenshot({ path: path.join(outDir!, `conflict-job-${language}-${scheme}.png`) });
      console.log(`conflict-job-${language}-${scheme}.png`);

      await mine.evaluate(() => window.api.settings.set({ language: 'en' }));
      await context.close();
    }
  }
  await browser.close();
}

main().catch(async (error: unknown) => {
  console.error(error);
  process.exit(1);
});
