import type { Locator, Page } from '@playwright/test';
import { expect, test } from './shell';

// Two tabs on one browser shell edit the same record: the first save wins, the second is answered CONFLICT and
// its modal shows what changed meanwhile, field by field, until the user reloads or keeps their values.

async function seedClient(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    const client = await window.api.clients.create({ companyName: 'Acme Iberia', email: 'info@acme.es', areaId: areas.data[0]!.id, comments: 'Met at the fair' });
    if (!client.ok) throw new Error(JSON.stringify(client.error));
    const contact = await window.api.contacts.create({ clientId: client.data.id, name: 'Lucía Fernández', role: 'HR lead', email: 'lucia@acme.es' });
    if (!contact.ok) throw new Error(JSON.stringify(contact.error));
    return client.data.id;
  });
}

/** A second tab on the same shell (its own session, as a second window of the app would be). */
async function secondTab(app: Page, url: string): Promise<Page> {
  const page = await app.context().newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  return page;
}

async function openClient(page: Page, clientId: string, tab = '') {
  await page.goto(new URL(`#/clients/${clientId}${tab}`, page.url()).toString());
  await expect(page.getByRole('heading', { name: 'Acme Iberia', level: 1 })).toBeVisible();
}

async function editClient(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Acme Iberia' });
  await expect(dialog.getByLabel('Company Name')).toHaveValue('Acme Iberia');
  return dialog;
}

const savedClient = (page: Page, id: string) =>
  page.evaluate(async (clientId) => {
    const answer = await window.api.clients.get({ id: clientId });
    if (!answer.ok) throw new Error('get');
    return answer.data.client;
  }, id);

test.describe('edit conflicts between two tabs', () => {
  // Two renderers and the shell share the machine's cores: a budget for slow machines, never a wait.
  test.describe.configure({ timeout: 180_000 });

  test('the client modal lists what changed meanwhile; Keep mine saves my values and keeps their other change', async ({ app, shell }) => {
    const id = await seedClient(app);
    const other = await secondTab(app, shell.url);
    await openClient(app, id);
    await openClient(other, id);
    const mine = await editClient(app);
    const theirs = await editClient(other);

    await theirs.getByLabel('Email').fill('ventas@acme.es');
    await theirs.getByLabel('Website').fill('acme.es');
    await theirs.getByRole('button', { name: 'Save' }).click();
    await expect(theirs).toBeHidden();

    await mine.getByLabel('Email').fill('compras@acme.es');
    await mine.getByLabel('Comments').fill('Prefers calls in the morning');
    await mine.getByRole('button', { name: 'Save' }).click();

    const notice = mine.getByRole('alert').filter({ hasText: 'Someone saved this client while you were editing' });
    await expect(notice).toBeVisible();
    await expect(notice).toBeFocused();
    const email = notice.getByRole('row', { name: /^Email/ });
    await expect(email).toContainText('info@acme.es');
    await expect(email).toContainText('ventas@acme.es');
    await expect(email).toContainText('You changed this too');
    await expect(email).toContainText('compras@acme.es');
    const website = notice.getByRole('row', { name: /^Website/ });
    await expect(website).toContainText('https://acme.es');
    await expect(website).toContainText('You did not change it');
    await expect(notice.getByRole('row', { name: /^Comments/ })).toHaveCount(0);
    // What the user typed is still in the form, untouched by the refusal.
    await expect(mine.getByLabel('Email')).toHaveValue('compras@acme.es');
    await expect(mine.getByLabel('Comments')).toHaveValue('Prefers calls in the morning');

    await notice.getByRole('button', { name: 'Keep mine' }).click();
    await expect(mine).toBeHidden();
    const saved = await savedClient(app, id);
    expect(saved).toMatchObject({ email: 'compras@acme.es', comments: 'Prefers calls in the morning', website: 'https://acme.es' });
    await expect(app.getByRole('heading', { name: 'Acme Iberia', level: 1 })).toBeVisible();
  });

  test('Reload takes the other tab’s values where they changed a field and keeps my other edits', async ({ app, shell }) => {
    const id = await seedClient(app);
    const other = await secondTab(app, shell.url);
    await openClient(app, id);
    await openClient(other, id);
    const mine = await editClient(app);
    const theirs = await editClient(other);

    await theirs.getByLabel('Email').fill('ventas@acme.es');
    await theirs.getByRole('button', { name: 'Save' }).click();
    await expect(theirs).toBeHidden();

    await mine.getByLabel('Email').fill('compras@acme.es');
    await mine.getByLabel('Comments').fill('Prefers calls in the morning');
    await mine.getByRole('button', { name: 'Save' }).click();
    const notice = mine.getByRole('alert').filter({ hasText: 'Someone saved this client' });
    await expect(notice.getByRole('row', { name: /^Email/ })).toContainText('You changed this too');

    await notice.getByRole('button', { name: 'Reload' }).click();
    await expect(notice).toBeHidden();
    const status = mine.getByRole('status').filter({ hasText: 'The saved version is in the form now (Email)' });
    await expect(status).toBeVisible();
    await expect(status).toBeFocused();
    await expect(mine.getByLabel('Email')).toHaveValue('ventas@acme.es');
    await expect(mine.getByLabel('Comments')).toHaveValue('Prefers calls in the morning');

    // Nothing was saved by Reload; Save now names the version it reloaded and goes through.
    expect(await savedClient(app, id)).toMatchObject({ email: 'ventas@acme.es', comments: 'Met at the fair' });
    await mine.getByRole('button', { name: 'Save' }).click();
    await expect(mine).toBeHidden();
    expect(await savedClient(app, id)).toMatchObject({ email: 'ventas@acme.es', comments: 'Prefers calls in the morning' });
  });

  test('a contact: the notice comes back when someone saves again before Keep mine, then Keep mine wins', async ({ app, shell }) => {
    const id = await seedClient(app);
    const other = await secondTab(app, shell.url);
    await openClient(app, id, '/contacts');
    await openClient(other, id, '/contacts');
    const edit = async (page: Page) => {
      await page.getByRole('button', { name: 'Edit contact Lucía Fernández' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit Lucía Fernández' });
      await expect(dialog.getByLabel('Role')).toHaveValue('HR lead');
      return dialog;
    };
    const mine = await edit(app);
    let theirs = await edit(other);
    await theirs.getByLabel('Role').fill('Head of People');
    await theirs.getByRole('button', { name: 'Save' }).click();
    await expect(theirs).toBeHidden();

    await mine.getByLabel('Role').fill('Talent director');
    await mine.getByRole('button', { name: 'Save' }).click();
    const notice = mine.getByRole('alert').filter({ hasText: 'Someone saved this contact while you were editing' });
    const role = notice.getByRole('row', { name: /^Role/ });
    await expect(role).toContainText('HR lead');
    await expect(role).toContainText('Head of People');
    await expect(role).toContainText('Talent director');

    // The other tab saves once more while the notice is up: Keep mine is refused again and says so.
    await other.reload();
    theirs = await (async () => {
      await other.getByRole('button', { name: 'Edit contact Lucía Fernández' }).click();
      return other.getByRole('dialog', { name: 'Edit Lucía Fernández' });
    })();
    await expect(theirs.getByLabel('Role')).toHaveValue('Head of People');
    await theirs.getByLabel('Phone').fill('+34 600 111 222');
    await theirs.getByRole('button', { name: 'Save' }).click();
    await expect(theirs).toBeHidden();

    await notice.getByRole('button', { name: 'Keep mine' }).click();
    const again = mine.getByRole('alert').filter({ hasText: 'Someone saved this contact' });
    const phone = again.getByRole('row', { name: /^Phone/ });
    await expect(phone).toContainText('+34 600 11 12 22');
    await expect(phone).toContainText('You did not change it');
    await expect(again.getByRole('row', { name: /^Role/ })).toHaveCount(0);
    await again.getByRole('button', { name: 'Keep mine' }).click();
    await expect(mine).toBeHidden();
    const table = app.getByRole('table', { name: 'Contacts' });
    await expect(table.getByRole('row', { name: /Lucía Fernández/ })).toContainText('Talent director');
    await expect(table.getByRole('row', { name: /Lucía Fernández/ })).toContainText('+34 600 11 12 22');
  });

  test('a job posting: Reload shows the other tab’s salary as the form shows money', async ({ app, shell }) => {
    const id = await seedClient(app);
    await app.evaluate(async (clientId) => {
      const job = await window.api.jobs.create({ clientId, title: 'Backend Engineer', status: 'open', salaryMinMinor: 4_000_000, salaryMaxMinor: 6_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year' });
      if (!job.ok) throw new Error(JSON.stringify(job.error));
    }, id);
    const other = await secondTab(app, shell.url);
    await openClient(app, id, '/jobs');
    await openClient(other, id, '/jobs');
    const edit = async (page: Page) => {
      await page.getByRole('row', { name: /Backend Engineer/ }).click();
      const dialog = page.getByRole('dialog', { name: /Edit JB-/ });
      await expect(dialog.getByLabel('Job title')).toHaveValue('Backend Engineer');
      return dialog;
    };
    const mine = await edit(app);
    const theirs = await edit(other);
    await theirs.getByLabel('Maximum').fill('65000');
    await theirs.getByRole('button', { name: 'Save' }).click();
    await expect(theirs).toBeHidden();

    await mine.getByLabel('Job title').fill('Senior Backend Engineer');
    await mine.getByRole('button', { name: 'Save' }).click();
    const notice = mine.getByRole('alert').filter({ hasText: 'Someone saved this job posting while you were editing' });
    const salary = notice.getByRole('row', { name: /^Salary range: Maximum/ });
    await expect(salary).toContainText('€60,000');
    await expect(salary).toContainText('€65,000');
    await notice.getByRole('button', { name: 'Reload' }).click();
    await expect(mine.getByLabel('Maximum')).toHaveValue('65,000');
    await expect(mine.getByLabel('Job title')).toHaveValue('Senior Backend Engineer');
    await mine.getByRole('button', { name: 'Save' }).click();
    await expect(mine).toBeHidden();
    await expect(app.getByRole('row', { name: /Senior Backend Engineer/ })).toContainText('€65,000');
  });

  test('archiving a client someone changed meanwhile says so and shows the client as it is now', async ({ app, shell }) => {
    const id = await seedClient(app);
    const other = await secondTab(app, shell.url);
    await openClient(app, id);
    await openClient(other, id);
    const theirs = await editClient(other);
    await theirs.getByLabel('Company Name').fill('Acme Iberia S.L.');
    await theirs.getByRole('button', { name: 'Save' }).click();
    await expect(theirs).toBeHidden();

    await app.getByRole('button', { name: 'More' }).click();
    await app.getByRole('menuitem', { name: 'Archive client' }).click();
    await app.getByRole('dialog', { name: 'Archive Acme Iberia?' }).getByRole('button', { name: 'Archive client' }).click();
    await expect(app.getByText('Someone changed this client meanwhile. The latest version is shown now')).toBeVisible();
    await expect(app.getByRole('heading', { name: 'Acme Iberia S.L.', level: 1 })).toBeVisible();
    await expect(app.getByText('This client is archived')).toBeHidden();
  });
});
