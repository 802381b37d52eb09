import { expect, test } from './shell';

test('a Won Deal on a lead creates the client once, with the event and the primary contact', async ({ app }) => {
  await app.getByRole('link', { name: 'Leads' }).click();
  await expect(app.getByText('No leads yet')).toBeVisible();
  await app.getByRole('button', { name: 'New lead' }).click();
  const dialog = app.getByRole('dialog', { name: 'New lead' });
  await dialog.getByLabel('Company').fill('Northwind Traders');
  await dialog.getByLabel('Contact person').fill('Emma Smith');
  await dialog.getByLabel('Email').fill('emma@northwind.co.uk');
  await dialog.getByRole('combobox', { name: 'Area' }).click();
  await app.getByRole('option', { name: 'Logistics' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const drawer = app.getByRole('dialog', { name: 'Northwind Traders' });
  await expect(drawer).toBeVisible();
  await drawer.getByRole('combobox', { name: 'Event' }).click();
  await app.getByRole('option', { name: 'Won deal' }).click();
  await drawer.getByLabel('Title').fill('Contract signed');
  await drawer.getByRole('button', { name: 'Record event' }).click();
  await expect(app.getByText('Northwind Traders is now a client.')).toBeVisible();
  await expect(drawer.getByText('Converted to Northwind Traders')).toBeVisible();

  // Recording it again never makes a second client.
  await drawer.getByRole('button', { name: 'Record event' }).click();
  await expect(app.getByText('This lead was already converted: still one client.')).toBeVisible();
  const clients = await app.evaluate(() => window.api.clients.list({}));
  expect(clients.ok && clients.data.rows.map((r) => r.companyName)).toEqual(['Northwind Traders']);

  await app.getByRole('button', { name: 'Open client' }).first().click();
  await expect(app.getByRole('heading', { name: 'Northwind Traders', level: 1 })).toBeVisible();
  await app.getByRole('tab', { name: /Events/ }).click();
  await expect(app.getByRole('list', { name: 'Events' }).getByRole('listitem', { name: 'Won deal: Northwind Traders' })).toBeVisible();
  await app.getByRole('tab', { name: /Contacts/ }).click();
  await expect(app.getByRole('table', { name: 'Contacts' }).getByRole('row', { name: /Emma Smith/ })).toContainText('Primary');
});
