import { expect, test } from './shell';

test('a posting on a client shows its forecast, and filling it takes it out of the totals', async ({ app }) => {
  const clientId = await app.evaluate(async () => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    const client = await window.api.clients.create({ companyName: 'Acme Iberia', email: 'info@acme.es', areaId: areas.data[0]!.id, defaultFeePercent: 20, defaultGuaranteeDays: 90 });
    if (!client.ok) throw new Error('client');
    return client.data.id;
  });
  await app.goto(new URL(`#/clients/${clientId}/jobs`, app.url()).toString());
  await app.reload();
  await expect(app.getByText('No job postings yet')).toBeVisible();

  await app.getByRole('button', { name: 'New job posting' }).click();
  const dialog = app.getByRole('dialog', { name: 'New job posting' });
  await dialog.getByLabel('Job title').fill('Backend Engineer');
  await expect(dialog.getByLabel('Fee (% of first-year salary)')).toHaveValue('20 %');
  await expect(dialog.getByLabel('Guarantee (days)')).toHaveValue('90');
  await dialog.getByLabel('Openings').fill('2');
  await dialog.getByLabel('Minimum').fill('40000');
  await dialog.getByLabel('Maximum').fill('60000');
  await dialog.getByLabel('Probability (%)').fill('50');
  const formula = dialog.getByRole('status', { name: 'Forecast' });
  await expect(formula).toContainText('€20,000 expected');
  await expect(formula).toContainText('€10,000 weighted');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const totals = app.getByRole('region', { name: 'Weighted forecast' });
  await expect(totals.getByTestId('expected-EUR')).toHaveText('€20,000');
  await expect(totals.getByTestId('weighted-EUR')).toHaveText('€10,000');

  // A stale salary range is refused while typing.
  await app.getByRole('row', { name: /Backend Engineer/ }).click();
  const edit = app.getByRole('dialog', { name: /Edit JB-/ });
  await edit.getByLabel('Minimum').fill('70000');
  await expect(edit.getByRole('button', { name: 'Save' })).toBeDisabled();
  await edit.getByLabel('Minimum').fill('40000');
  await edit.getByRole('combobox', { name: 'Status' }).click();
  await app.getByRole('option', { name: 'Filled' }).click();
  await expect(edit.getByRole('button', { name: 'Save' })).toBeDisabled();
  await edit.getByLabel('Reason').fill('Candidate started on Monday');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(totals).toContainText('No open forecast');

  await app.getByRole('link', { name: 'Jobs' }).first().click();
  const search = app.getByRole('textbox', { name: 'Search jobs' });
  await expect(search).toBeVisible();
  await expect(app.getByRole('table', { name: 'Jobs' })).toContainText('Backend Engineer');
  await app.getByRole('combobox', { name: 'Status' }).click();
  await app.getByRole('option', { name: 'Open' }).click();
  await app.keyboard.press('Escape');
  await expect(app.getByText('No postings match these filters.')).toBeVisible();
});
