import type { Page } from '@playwright/test';
import { expect, test } from './shell';

// The review of possible duplicates: two similar clients are listed with the engine's evidence; "Not a duplicate"
// removes the pair; another pair is merged field by field (the survivor takes the chosen values and the other's
// contacts) and Undo puts both back exactly. Once in English, once in Spanish.

type Seeded = { acme: string[]; globex: string[] };

async function seed(page: Page): Promise<Seeded> {
  return page.evaluate(async () => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    const areaId = areas.data[0]!.id;
    const create = async (companyName: string, email: string, phone: string | null, acknowledged: string[]) => {
      const client = await window.api.clients.create({ companyName, email, phone, areaId, acknowledgedDuplicateIds: acknowledged });
      if (!client.ok) throw new Error(JSON.stringify(client.error));
      return client.data.id;
    };
    const acme = [await create('Acme Consulting', 'info@acmeconsulting.es', null, [])];
    acme.push(await create('Acme Consultin', 'rrhh@acmeconsulting.es', null, acme));
    const globex = [await create('Globex Iberia', 'info@globex.es', '+34 912 345 678', [])];
    globex.push(await create('Globex Iberia Logística', 'empleo@globex.es', '+34 915 550 101', globex));
    for (const [i, id] of globex.entries()) {
      const contact = await window.api.contacts.create({ clientId: id, name: i ? 'Luis Pérez' : 'Ana García', email: i ? 'luis@globex.es' : 'ana@globex.es' });
      if (!contact.ok) throw new Error(JSON.stringify(contact.error));
    }
    return { acme, globex };
  });
}

const snapshot = (page: Page, ids: string[]) =>
  page.evaluate(async (list) => {
    const out = [];
    for (const id of list) {
      const detail = await window.api.clients.get({ id });
      const contacts = await window.api.contacts.list({ clientId: id });
      if (!detail.ok || !contacts.ok) throw new Error('get');
      const { version: _v, updatedAt: _u, ...client } = detail.data.client;
      out.push({ client, contacts: contacts.data.map(({ version: _cv, updatedAt: _cu, ...c }) => c) });
    }
    return out;
  }, ids);

const texts = {
  en: { nav: 'Duplicates', title: 'Possible duplicates', notDuplicate: 'Not a duplicate', merge: 'Merge…', mergeTitle: 'Merge two clients', confirm: 'Merge', undo: 'Undo', undone: 'The merge was undone', evidence: 'similar name', phone: 'Phone', clients: 'Clients', search: 'Search clients', open: 'Open', history: 'History' },
  es: { nav: 'Duplicados', title: 'Posibles duplicados', notDuplicate: 'No es un duplicado', merge: 'Fusionar…', mergeTitle: 'Fusionar dos clientes', confirm: 'Fusionar', undo: 'Deshacer', undone: 'Se deshizo la fusión', evidence: 'nombre parecido', phone: 'Teléfono', clients: 'Clientes', search: 'Buscar clientes', open: 'Abrir', history: 'Historial' },
} as const;

for (const language of ['en', 'es'] as const) {
  test(`review, Not a duplicate, merge field by field and undo (${language})`, async ({ app }) => {
    const s = texts[language];
    if (language === 'es') {
      await app.evaluate(async () => void (await window.api.settings.set({ language: 'es' })));
      await app.reload();
    }
    const { acme, globex } = await seed(app);
    await app.getByRole('link', { name: s.nav }).click();
    await expect(app.getByRole('heading', { name: s.title, level: 1 })).toBeVisible();

    // Both pairs, each with its evidence.
    const acmePair = app.getByRole('listitem').filter({ hasText: 'Acme Consultin' });
    const globexPair = app.getByRole('listitem').filter({ hasText: 'Globex Iberia Logística' });
    await expect(acmePair).toContainText(s.evidence, { ignoreCase: true });
    await expect(acmePair).toContainText('info@acmeconsulting.es · rrhh@acmeconsulting.es');
    await expect(globexPair).toBeVisible();

    // Not a duplicate: the pair leaves the review.
    await acmePair.getByRole('button', { name: new RegExp(`^${s.notDuplicate}`) }).click();
    await expect(acmePair).toHaveCount(0);
    expect(acme).toHaveLength(2);

    // Merge: keep Globex Iberia, take the other's phone.
    const before = await snapshot(app, globex);
    await globexPair.getByRole('button', { name: new RegExp(`^${s.merge}`) }).click();
    const modal = app.getByRole('dialog', { name: s.mergeTitle });
    await modal.getByRole('radio', { name: `${s.phone}: +34 915 55 01 01` }).check();
    await modal.getByRole('button', { name: s.confirm, exact: true }).click();
    await expect(modal).toBeHidden();
    await expect(globexPair).toHaveCount(0);
    const merged = await snapshot(app, [globex[0]!]);
    expect(merged[0]!.client.phone).toBe('+34 915 55 01 01');
    expect(merged[0]!.contacts.map((c) => c.name).sort()).toEqual(['Ana García', 'Luis Pérez']);

    // The merged-away client's link leads to the survivor.
    await app.goto(new URL(`#/clients/${globex[1]}`, app.url()).toString());
    await expect(app.getByRole('heading', { name: 'Globex Iberia', level: 1, exact: true })).toBeVisible();
    await expect(app).toHaveURL(new RegExp(`#/clients/${globex[0]}`));
    // So does its code, typed into the clients search.
    const mergedCode = (before[1]!.client as { code: string }).code;
    await app.getByRole('navigation').getByRole('link', { name: s.clients, exact: true }).click();
    await app.getByRole('textbox', { name: s.search }).fill(mergedCode);
    await app.getByRole('button', { name: `${s.open} Globex Iberia` }).click();
    await expect(app.getByRole('heading', { name: 'Globex Iberia', level: 1, exact: true })).toBeVisible();

    // Undo from the survivor's history (not the merge's notification, which may still be closing): both clients
    // exactly as they were.
    await app.getByRole('region', { name: s.history, exact: true }).getByRole('button', { name: s.undo, exact: true }).click();
    await expect(app.getByText(s.undone)).toBeVisible();
    expect(await snapshot(app, globex)).toEqual(before);
  });
}
