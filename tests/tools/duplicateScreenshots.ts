// npx tsx tests/tools/duplicateScreenshots.ts URL [OUT_DIR]: the possible-duplicates page (empty, then with pairs),
// the field-by-field merge of two clients, the notification with Undo after a merge, and the merge of two contacts,
// in light and dark, English and Spanish. It adds its own clients, so point it at a fresh scratch database
// (npm run web -- --db FILE); each merge it makes is undone, so the pictures of every language show the same pairs.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { translator } from '../../renderer/i18n';

const [url, outDir = 'screenshots'] = process.argv.slice(2);
if (!url) {
  console.error('Usage: npx tsx tests/tools/duplicateScreenshots.ts URL [OUT_DIR]');
  process.exit(1);
}

/** Pairs a recruiter could make: a typo with a shared mail domain, a brand and its longer name, initials tied by a website. */
const pairs = [
  [
    { companyName: 'Acme Consulting', email: 'info@acmeconsulting.es', website: 'www.acmeconsulting.es', phone: '+34 912 345 678', comments: 'Met at the Madrid talent fair.' },
    { companyName: 'Acme Consultin', email: 'rrhh@acmeconsulting.es', website: null, phone: '+34 915 550 101', comments: null },
  ],
  [
    { companyName: 'Telefónica Tech', email: 'talento@telefonicatech.com', website: 'telefonicatech.com', phone: null, comments: null },
    { companyName: 'Telefónica Tech Iberia', email: 'empleo@telefonicatech.com', website: null, phone: '+34 914 660 000', comments: 'Two senior profiles before summer.' },
  ],
  [
    { companyName: 'BBVA', email: 'seleccion@bbva.com', website: 'www.bbva.com', phone: null, comments: null },
    { companyName: 'Banco Bilbao Vizcaya Argentaria', email: 'talento@bbva.com', website: 'bbva.com', phone: '+34 913 746 000', comments: null },
  ],
] as const;

async function seed(page: Page): Promise<string> {
  return page.evaluate(async (list) => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    const areaId = areas.data[0]!.id;
    let acme = '';
    for (const pair of list) {
      const ids: string[] = [];
      for (const company of pair) {
        const input = { ...company, areaId, acknowledgedDuplicateIds: ids };
        const client = await window.api.clients.create(input);
        if (!client.ok) throw new Error(JSON.stringify(client.error));
        ids.push(client.data.id);
      }
      if (!acme) acme = ids[0]!;
      for (const [i, id] of ids.entries()) {
        await window.api.contacts.create({ clientId: id, name: i ? 'Luis Pérez' : 'Ana García', email: i ? 'luis@example.es' : 'ana@example.es', role: 'HR' });
        await window.api.events.create({ clientId: id, type: 'meeting', title: 'Kick-off meeting', occurredAt: '2026-10-01T09:00:00.000Z', ownerIds: [] });
      }
    }
    // Two contacts of one client that look like one person (the same phone, a similar name).
    await window.api.contacts.create({ clientId: acme, name: 'Marta Ruiz', email: 'marta.ruiz@acmeconsulting.es', phone: '612 345 678', role: 'Hiring manager' });
    await window.api.contacts.create({ clientId: acme, name: 'Marta Ruíz Gil', email: 'mruiz@acmeconsulting.es', phone: '612 345 678', role: null });
    return acme;
  }, pairs);
}

async function open(browser: Browser, scheme: 'light' | 'dark', language: 'en' | 'es') {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: 'en-GB', timezoneId: 'Europe/Madrid', reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(url!);
  await page.waitForSelector('nav');
  await page.evaluate((lang) => window.api.settings.set({ language: lang }), language);
  return { context, page };
}

const go = async (page: Page, hash: string) => {
  await page.goto(new URL(hash, page.url()).toString());
  await page.reload();
};

async function main() {
  fs.mkdirSync(outDir!, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const combos = (['light', 'dark'] as const).flatMap((scheme) => (['en', 'es'] as const).map((language) => ({ scheme, language })));
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: path.join(outDir!, `${name}.png`) });
    console.log(`${name}.png`);
  };

  // Empty first: the database has no clients yet.
  for (const { scheme, language } of combos) {
    const t = translator(language);
    const { context, page } = await open(browser, scheme, language);
    await go(page, '#/duplicates');
    await page.getByText(t('dups.empty.title')).waitFor();
    await shot(page, `dups-empty-${language}-${scheme}`);
    await context.close();
  }

  let acme = '';
  for (const { scheme, language } of combos) {
    const t = translator(language);
    const { context, page } = await open(browser, scheme, language);
    if (!acme) acme = await seed(page);
    await go(page, '#/duplicates');
    await page.getByRole('button', { name: new RegExp(`^${t('dups.notDuplicate')}:`) }).first().waitFor();
    await shot(page, `dups-pairs-${language}-${scheme}`);

    await page.getByRole('button', { name: new RegExp(`^${t('dups.merge')} Acme`) }).click();
    const modal = page.getByRole('dialog', { name: t('merge.title') });
    await modal.getByRole('radio').first().waitFor();
    await shot(page, `merge-modal-${language}-${scheme}`);
    await modal.getByRole('button', { name: t('merge.confirm'), exact: true }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: t('dups.undo'), exact: true }).waitFor();
    await shot(page, `merge-undo-${language}-${scheme}`);
    await page.getByRole('button', { name: t('dups.undo'), exact: true }).click();
    await page.getByText(t('merge.undone')).waitFor();

    await go(page, `#/clients/${acme}/contacts`);
    await page.getByText(t('contactDups.title')).waitFor();
    await page.getByRole('button', { name: new RegExp(`^${t('dups.merge')}`) }).first().click();
    const contactModal = page.getByRole('dialog', { name: t('merge.contactTitle') });
    await contactModal.getByRole('radio').first().waitFor();
    await shot(page, `merge-contacts-${language}-${scheme}`);
    await page.evaluate(() => window.api.settings.set({ language: 'en' }));
    await context.close();
  }
  await browser.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
