import type { Page } from '@playwright/test';
import { expect, test } from './shell';

/** Creates clients through the real API from inside the page (the same path the UI uses). */
async function createClients(page: Page, clients: { companyName: string; email: string; area?: string; status?: string; website?: string }[]) {
  await page.evaluate(async (list) => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    for (const c of list) {
      const areaId = areas.data.find((a) => a.key === (c.area ?? 'technology'))!.id;
      const result = await window.api.clients.create({ companyName: c.companyName, email: c.email, areaId, status: (c.status ?? 'active') as 'active', website: c.website ?? null });
      if (!result.ok) throw new Error(JSON.stringify(result.error));
    }
  }, clients);
  await page.reload();
}

const rows = (page: Page) => page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ has: page.getByRole('cell') });

test.describe('clients list', () => {
  test.beforeEach(async ({ app }) => {
    await createClients(app, [
      { companyName: 'Telefónica S.A.', email: 'compras@telefonica.es' },
      { companyName: 'Banco Santander', email: 'rrhh@santander.com', area: 'finance', status: 'paused' },
      { companyName: 'Mercadona', email: 'empleo@mercadona.es', area: 'retail' },
      { companyName: 'Iberdrola', email: 'talento@iberdrola.es', area: 'energy', status: 'inactive' },
    ]);
    await expect(rows(app)).toHaveCount(4);
  });

  test('search finds accent-insensitive substrings, highlights them and shows a designed no-results state', async ({ app }) => {
    const search = app.getByRole('textbox', { name: 'Search clients' });
    await search.fill('telefonica');
    await expect(rows(app)).toHaveCount(1);
    await expect(rows(app).first()).toContainText('Telefónica S.A.');
    await expect(rows(app).first().locator('mark')).toHaveText(['Telefónica', 'telefonica']);
    await search.fill('zzzz');
    await expect(app.getByRole('heading', { name: 'No clients match' })).toBeVisible();
    await expect(app.getByRole('group', { name: 'Active filters' })).toContainText('Search: “zzzz”');
    await app.getByRole('button', { name: 'Clear all filters' }).last().click();
    await expect(rows(app)).toHaveCount(4);
    await expect(search).toHaveValue('');
  });

  test('Ctrl+K focuses the search box', async ({ app }) => {
    await app.getByRole('heading', { name: 'Clients', level: 1 }).click();
    await app.keyboard.press('Control+k');
    await expect(app.getByRole('textbox', { name: 'Search clients' })).toBeFocused();
  });

  test('filters combine, show as removable chips, update the metrics and survive a reload', async ({ app, page }) => {
    await app.getByRole('combobox', { name: 'Status' }).click();
    await app.getByRole('option', { name: 'Active', exact: true }).click();
    await app.keyboard.press('Escape');
    await expect(rows(app)).toHaveCount(2);
    await app.getByRole('combobox', { name: 'Area' }).click();
    await app.getByRole('option', { name: 'Retail' }).click();
    await app.keyboard.press('Escape');
    await expect(rows(app)).toHaveCount(1);
    await expect(rows(app).first()).toContainText('Mercadona');
    const chips = app.getByRole('group', { name: 'Active filters' });
    await expect(chips).toContainText('Status: Active');
    await expect(chips).toContainText('Area: Retail');
    await expect(app.getByRole('region', { name: 'Summary' })).toContainText('1 active');

    await page.reload();
    await expect(rows(page)).toHaveCount(1);
    await page.getByRole('button', { name: 'Remove filter Area: Retail' }).click();
    await expect(rows(page)).toHaveCount(2);
    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await expect(rows(page)).toHaveCount(4);
  });

  test('sorting by a column header and back', async ({ app }) => {
    await app.getByRole('columnheader', { name: 'Company' }).getByRole('button').click();
    await expect(rows(app).nth(0)).toContainText('Banco Santander');
    await expect(rows(app).nth(3)).toContainText('Telefónica S.A.');
    await app.getByRole('columnheader', { name: 'Company' }).getByRole('button').click();
    await expect(rows(app).nth(0)).toContainText('Telefónica S.A.');
  });

  test('a saved view reopens its search and filters from the navigation, and can be renamed and deleted', async ({ app }) => {
    await app.getByRole('textbox', { name: 'Search clients' }).fill('on');
    await expect(rows(app)).toHaveCount(2);
    await app.getByRole('button', { name: 'Save as view' }).click();
    await app.getByRole('dialog', { name: 'Save as view' }).getByLabel('View name').fill('Bancos y más');
    await app.getByRole('dialog', { name: 'Save as view' }).getByRole('button', { name: 'Save' }).click();

    await app.getByRole('button', { name: 'Clear all filters' }).click();
    await expect(rows(app)).toHaveCount(4);
    await app.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Bancos y más' }).click();
    await expect(app.getByRole('textbox', { name: 'Search clients' })).toHaveValue('on');
    await expect(rows(app)).toHaveCount(2);

    await app.getByRole('button', { name: 'Actions for view Bancos y más' }).click();
    await app.getByRole('menuitem', { name: 'Rename' }).click();
    await app.getByRole('dialog', { name: 'Rename view' }).getByLabel('View name').fill('Con «on»');
    await app.getByRole('dialog', { name: 'Rename view' }).getByRole('button', { name: 'Save' }).click();
    await expect(app.getByRole('link', { name: 'Con «on»' })).toBeVisible();
    await app.getByRole('button', { name: 'Actions for view Con «on»' }).click();
    await app.getByRole('menuitem', { name: 'Delete' }).click();
    await app.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(app.getByRole('link', { name: 'Con «on»' })).toHaveCount(0);
  });

  test('arrows and Enter open a client; a click does too', async ({ app }) => {
    await app.getByRole('columnheader', { name: 'Company' }).getByRole('button').click();
    await rows(app).first().click();
    await expect(app.getByRole('heading', { name: 'Banco Santander', level: 1 })).toBeVisible();
    await app.goBack();
    await expect(rows(app)).toHaveCount(4);
    await app.getByRole('rowgroup').last().focus();
    await app.keyboard.press('ArrowDown');
    await app.keyboard.press('Enter');
    await expect(app.getByRole('heading', { name: 'Iberdrola', level: 1 })).toBeVisible();
  });
});

test.describe('client detail and edit', () => {
  test('a duplicate email typed in another case is blocked with a link to the existing client', async ({ app }) => {
    await createClients(app, [{ companyName: 'Acme Iberia', email: 'info@acme.es' }]);
    await app.getByRole('button', { name: 'New client' }).first().click();
    const dialog = app.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Company Name').fill('Otra Empresa');
    await dialog.getByLabel('Email').fill('INFO@ACME.ES');
    await expect(dialog.getByRole('alert')).toContainText('This client already exists');
    await expect(dialog.getByRole('button', { name: 'Create client' })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Open Acme Iberia' }).click();
    await expect(app.getByRole('heading', { name: 'Acme Iberia', level: 1 })).toBeVisible();
  });

  test('a similar name warns, can be overridden, and the override is in the history', async ({ app }) => {
    await createClients(app, [{ companyName: 'Transportes Rodríguez S.L.', email: 'info@trodriguez.es' }]);
    await app.getByRole('button', { name: 'New client' }).first().click();
    const dialog = app.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Company Name').fill('Transportes Rodrigues');
    await dialog.getByLabel('Email').fill('hola@rodrigues-transportes.com');
    await dialog.getByRole('combobox', { name: 'Area' }).click();
    await app.getByRole('option', { name: 'Logistics' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Possible duplicates');
    await expect(dialog.getByRole('alert')).toContainText('similar name');
    await expect(dialog.getByRole('button', { name: 'Create client' })).toBeDisabled();
    await dialog.getByLabel('It is a different company: save anyway').check();
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await expect(dialog).toBeHidden();

    await rows(app).filter({ hasText: 'Transportes Rodrigues' }).filter({ hasNotText: 'S.L.' }).click();
    const history = app.getByRole('region', { name: 'History' });
    await expect(history).toContainText('Saved despite possible duplicates');
  });

  test('a brand alone and a subdomain of its website warn with the reasons the engine gave', async ({ app }) => {
    await createClients(app, [{ companyName: 'Zara España Retail S.A.', email: 'rrhh@zara.com' }]);
    await app.getByRole('button', { name: 'New client' }).first().click();
    const dialog = app.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Company Name').fill('Zara');
    await dialog.getByLabel('Email').fill('tienda.centro@gmail.com');
    await dialog.getByLabel('Website').fill('https://empleo.zara.com/ofertas');
    await expect(dialog.getByRole('alert')).toContainText('Possible duplicates');
    await expect(dialog.getByRole('alert')).toContainText('same website, same brand');
    await expect(dialog.getByRole('button', { name: 'Open Zara España Retail S.A.' })).toBeVisible();
  });

  test('missing required fields cannot be saved and say why', async ({ app }) => {
    await app.getByRole('button', { name: 'New client' }).first().click();
    const dialog = app.getByRole('dialog', { name: 'New client' });
    await dialog.getByLabel('Company Name').fill('Solo nombre');
    await dialog.getByLabel('Phone').fill('12');
    await dialog.getByLabel('Phone').blur();
    await expect(dialog.getByText('Enter a valid phone number')).toBeVisible();
    await dialog.getByLabel('Email').focus();
    await dialog.getByLabel('Email').blur();
    await expect(dialog.getByText('Required').first()).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Create client' })).toBeDisabled();
  });

  test('an edit shows in the field-level history, old → new', async ({ app }) => {
    await createClients(app, [{ companyName: 'Acme', email: 'info@acme.es' }]);
    await rows(app).first().click();
    await app.getByRole('button', { name: 'Edit' }).click();
    const dialog = app.getByRole('dialog', { name: 'Edit Acme' });
    await dialog.getByLabel('Company Name').fill('Acme Iberia');
    await dialog.getByLabel('Phone').fill('912 345 678');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(app.getByRole('heading', { name: 'Acme Iberia', level: 1 })).toBeVisible();
    const history = app.getByRole('region', { name: 'History' });
    await expect(history).toContainText('changed the client');
    await expect(history.getByTestId('history-change').filter({ hasText: 'Company Name' })).toContainText('Acme → Acme Iberia');
    await expect(history.getByTestId('history-change').filter({ hasText: 'Phone' })).toContainText('+34 912 34 56 78');
  });

  test('contacts can be added, edited and deleted, with one primary', async ({ app }) => {
    await createClients(app, [{ companyName: 'Acme', email: 'info@acme.es' }]);
    await rows(app).first().click();
    await app.getByRole('tab', { name: /Contacts/ }).click();
    await expect(app.getByText('No contacts yet')).toBeVisible();

    await app.getByRole('button', { name: 'Add contact' }).click();
    let dialog = app.getByRole('dialog', { name: 'Add contact' });
    await dialog.getByLabel('Name').fill('Lucía Fernández');
    // A stray Esc asks before dropping what was typed; keeping on editing loses nothing.
    await app.keyboard.press('Escape');
    await app.getByRole('dialog', { name: 'Discard changes?' }).getByRole('button', { name: 'Keep editing' }).click();
    await expect(dialog.getByLabel('Name')).toHaveValue('Lucía Fernández');
    await dialog.getByLabel('Role').fill('HR Director');
    await dialog.getByLabel('Email').fill('lucia@acme.es');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const table = app.getByRole('table', { name: 'Contacts' });
    await expect(table.getByRole('row', { name: /Lucía Fernández/ })).toContainText('Primary');

    await app.getByRole('button', { name: 'Add contact' }).click();
    dialog = app.getByRole('dialog', { name: 'Add contact' });
    await dialog.getByLabel('Name').fill('Pablo Ruiz');
    await dialog.getByLabel('Email').fill('LUCIA@acme.es');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText('already a contact of this client')).toBeVisible();
    await dialog.getByLabel('Email').fill('pablo@acme.es');
    await dialog.getByLabel('Primary contact for this client').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(table.getByRole('row', { name: /Pablo Ruiz/ })).toContainText('Primary');
    await expect(table.getByRole('row', { name: /Lucía Fernández/ })).not.toContainText('Primary');

    await app.getByRole('button', { name: 'Edit contact Pablo Ruiz' }).click();
    dialog = app.getByRole('dialog', { name: 'Edit Pablo Ruiz' });
    await dialog.getByLabel('Role').fill('CFO');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(table.getByRole('row', { name: /Pablo Ruiz/ })).toContainText('CFO');

    await app.getByRole('button', { name: 'Delete contact Pablo Ruiz' }).click();
    await app.getByRole('dialog', { name: 'Delete Pablo Ruiz?' }).getByRole('button', { name: 'Delete contact' }).click();
    await expect(table.getByRole('row', { name: /Pablo Ruiz/ })).toHaveCount(0);
    await expect(table.getByRole('row', { name: /Lucía Fernández/ })).toContainText('Primary');
    await expect(app.getByRole('tab', { name: /Contacts/ })).toContainText('1');
  });

  test('archive hides a client from the list until restored', async ({ app }) => {
    await createClients(app, [{ companyName: 'Acme', email: 'info@acme.es' }]);
    await rows(app).first().click();
    await app.getByRole('button', { name: 'More' }).click();
    await app.getByRole('menuitem', { name: 'Archive client' }).click();
    await app.getByRole('dialog', { name: 'Archive Acme?' }).getByRole('button', { name: 'Archive client' }).click();
    await expect(app.getByText('This client is archived')).toBeVisible();
    await app.getByRole('link', { name: 'Clients' }).first().click();
    await expect(app.getByRole('heading', { name: 'No clients yet' })).toBeVisible();
    await app.goBack();
    await app.getByRole('button', { name: 'More' }).click();
    await app.getByRole('menuitem', { name: 'Restore client' }).click();
    await expect(app.getByText('This client is archived')).toBeHidden();
  });
});
