// npx tsx tests/tools/candidateScreenshots.ts URL [OUT_DIR]: the candidates list, a candidate's page, a posting's
// pipeline, the placement and departure dialogs and the dashboard's forecast / earned and guarantees, in light and
// dark, English and Spanish, from a running browser shell (npm run web -- --db FILE). It adds its own client,
// posting and candidates, so point it at a scratch database.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { translator } from '../../renderer/i18n';

const [url, outDir = 'screenshots'] = process.argv.slice(2);
if (!url) {
  console.error('Usage: npx tsx tests/tools/candidateScreenshots.ts URL [OUT_DIR]');
  process.exit(1);
}
const schemes = (process.env.SHOT_SCHEMES ?? 'light,dark').split(',') as ('light' | 'dark')[];
const languages = (process.env.SHOT_LANGUAGES ?? 'en,es').split(',') as ('en' | 'es')[];
const at = (hash: string) => new URL(hash, url!).toString();

async function capture(page: Page, name: string) {
  // Data arrives after the frame: give lists and charts a moment to fill.
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(outDir, `${name}.png`) });
  console.log(`${name}.png`);
}

type Seeded = { clientId: string; jobId: string; candidateId: string };

/** A client with an open posting, a few candidates in its pipeline and one placed (once per database). */
async function seed(page: Page): Promise<Seeded> {
  return page.evaluate(async () => {
    const must = <T,>(r: { ok: true; data: T } | { ok: false; error: unknown }): T => {
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.data;
    };
    const found = must(await window.api.clients.list({ search: 'Acme Iberia', limit: 5 }));
    const areas = must(await window.api.areas.list({}));
    const client = found.rows[0] ?? must(await window.api.clients.create({ companyName: 'Acme Iberia', email: 'talento@acme-iberia.es', areaId: areas[0]!.id, defaultFeePercent: 20, defaultGuaranteeDays: 90 }));
    const jobs = must(await window.api.jobs.list({ clientId: client.id, limit: 5 }));
    const job =
      jobs.rows.find((j) => j.title === 'Senior Backend Engineer') ??
      must(
        await window.api.jobs.create({
          clientId: client.id, title: 'Senior Backend Engineer', status: 'open', openings: 3, location: 'Madrid', workMode: 'hybrid', salaryMinMinor: 4_500_000, salaryMaxMinor: 6_000_000,
          salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 20, probability: 50, expectedCloseDate: '2026-12-30', guaranteeDays: 90, guaranteePolicy: 'refund', proRataDays: 90,
        }),
      );
    const people = [
      { fullName: 'Lucía Martín Gómez', email: 'lucia.martin@correo.es', phone: '612 345 678', currentTitle: 'Backend developer', currentCompany: 'Globex', location: 'Madrid', source: 'linkedin', tags: ['Python', 'PostgreSQL', 'AWS'] },
      { fullName: 'Pedro Gil Navarro', email: 'pedro.gil@correo.es', currentTitle: 'Software engineer', currentCompany: 'Initech', location: 'Valencia', source: 'referral', tags: ['Java', 'Kotlin'] },
      { fullName: 'Emma Brown', email: 'emma.brown@mail.co.uk', currentTitle: 'Senior engineer', location: 'Barcelona', source: 'job_board', tags: ['Go'] },
      { fullName: 'Javier Ortega', email: 'j.ortega@correo.es', currentTitle: 'Tech lead', currentCompany: 'Hooli', location: 'Sevilla', source: 'headhunting', tags: ['Python', 'Leadership'] },
    ];
    const existing = must(await window.api.candidates.list({ limit: 50 }));
    const ids: string[] = [];
    for (const person of people) {
      const have = existing.rows.find((r) => r.email === person.email);
      ids.push(have ? have.id : must(await window.api.candidates.create(person)).id);
    }
    const pipeline = must(await window.api.applications.pipeline({ jobId: job.id }));
    if (pipeline.applications.length === 0) {
      const apps = [];
      for (const id of ids) apps.push(must(await window.api.applications.create({ candidateId: id, jobId: job.id })));
      const screened = must(await window.api.applications.move({ id: apps[1]!.id, version: apps[1]!.version, stageId: 'stage-screening' }));
      must(await window.api.applications.move({ id: screened.id, version: screened.version, stageId: 'stage-client_interview' }));
      must(await window.api.applications.move({ id: apps[2]!.id, version: apps[2]!.version, stageId: 'stage-screening' }));
      const today = new Date().toISOString().slice(0, 10);
      must(await window.api.applications.move({ id: apps[0]!.id, version: apps[0]!.version, stageId: 'stage-placed', placement: { startDate: today, salaryMinor: 5_200_000, salaryCurrency: 'EUR', salaryPeriod: 'year' } }));
    }
    return { clientId: client.id, jobId: job.id, candidateId: ids[0]! };
  });
}

async function run() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const scheme of schemes) {
      for (const language of languages) {
        const t = translator(language);
        const suffix = `${scheme}-${language}`;
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: language === 'es' ? 'es-ES' : 'en-GB', reducedMotion: 'reduce' });
        // tsx names the functions inside the seeding callback (`__name`): the page needs the helper too.
        await context.addInitScript('window.__name = (f) => f');
        const page = await context.newPage();
        await page.goto(url!);
        await page.getByRole('navigation').first().waitFor();
        await page.evaluate(async (lang) => void (await window.api.settings.set({ language: lang })), language);
        const seeded = await seed(page);
        await page.goto(at('#/candidates'));
        await page.reload();
        await page.getByRole('table', { name: t('candidates.title') }).waitFor();
        await capture(page, `candidates-${suffix}`);
        await page.getByRole('button', { name: t('candidates.new') }).click();
        await page.getByRole('dialog').getByLabel(t('candidates.field.fullName')).fill('Lucia Martin');
        await page.getByRole('dialog').getByLabel(t('candidates.field.currentCompany')).fill('Globex S.A.');
        await page.waitForTimeout(800);
        await capture(page, `candidate-new-${suffix}`);
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: t('form.discard.confirm') }).click().catch(() => undefined);
        await page.getByRole('button', { name: t('candidates.import') }).click();
        await capture(page, `candidates-import-${suffix}`);
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: t('candidates.export') }).click();
        await capture(page, `candidates-export-${suffix}`);
        await page.keyboard.press('Escape');
        await page.goto(at('#/settings'));
        await page.getByRole('region', { name: t('stages.title') }).scrollIntoViewIfNeeded();
        await capture(page, `settings-stages-${suffix}`);
        await page.goto(at(`#/candidates/${seeded.candidateId}`));
        await page.getByRole('heading', { level: 1 }).waitFor();
        await capture(page, `candidate-page-${suffix}`);
        await page.getByRole('button', { name: t('departure.actionFor', { name: 'Lucía Martín Gómez' }) }).first().click();
        await capture(page, `departure-${suffix}`);
        await page.keyboard.press('Escape');
        await page.goto(at(`#/clients/${seeded.clientId}/jobs`));
        await page.getByRole('button', { name: new RegExp(t('pipeline.open', { code: '' }).trim()) }).first().click();
        await page.getByTestId('pipeline-card').first().waitFor();
        await capture(page, `pipeline-${suffix}`);
        // The placement dialog, from the keyboard: a card in Applied moved right four times (to Placed).
        const card = page.getByTestId('pipeline-card').filter({ hasText: 'Javier Ortega' });
        if (await card.count()) {
          await card.focus();
          await page.keyboard.press('ArrowRight');
          await page.waitForTimeout(500);
          await page.getByTestId('pipeline-card').filter({ hasText: 'Javier Ortega' }).focus();
          await page.keyboard.press('ArrowRight');
          await page.waitForTimeout(500);
          await page.getByTestId('pipeline-card').filter({ hasText: 'Javier Ortega' }).focus();
          await page.keyboard.press('ArrowRight');
          await page.waitForTimeout(500);
          await page.getByTestId('pipeline-card').filter({ hasText: 'Javier Ortega' }).focus();
          await page.keyboard.press('ArrowRight');
          await page.getByTestId('placement-fee').waitFor({ timeout: 5000 }).catch(() => undefined);
          await capture(page, `placement-${suffix}`);
          await page.keyboard.press('Escape');
        }
        await page.keyboard.press('Escape');
        await page.goto(at(`#/clients/${seeded.clientId}/profile`));
        await page.getByRole('region', { name: t('pipeline.clientTitle') }).waitFor();
        await capture(page, `client-profile-${suffix}`);
        await page.goto(at('#/jobs'));
        await page.getByRole('table', { name: t('jobs.title') }).waitFor();
        await capture(page, `jobs-${suffix}`);
        await page.goto(at('#/dashboard'));
        await page.getByText(t('dashboard.guaranteesEnding')).waitFor();
        await page.getByText(t('dashboard.guaranteesEnding')).scrollIntoViewIfNeeded();
        await capture(page, `dashboard-${suffix}`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
}

await run();
