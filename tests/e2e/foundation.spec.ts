import { expect, startShell, test } from './shell';

test('the app loads on the clients list with an empty state and the main navigation', async ({ app }) => {
  await expect(app.getByRole('heading', { name: 'No clients yet' })).toBeVisible();
  const nav = app.getByRole('navigation', { name: 'Main navigation' });
  for (const name of ['Clients', 'Jobs', 'Leads', 'Dashboard', 'Settings']) {
    await expect(nav.getByRole('link', { name })).toBeVisible();
  }
});

test('navigation moves between pages and marks the current one', async ({ app }) => {
  const nav = app.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  await expect(app.getByText('Data folder', { exact: true })).toBeVisible();

  await nav.getByRole('link', { name: 'Jobs' }).click();
  await expect(app.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await nav.getByRole('link', { name: 'Dashboard' }).click();
  await expect(app.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await nav.getByRole('link', { name: 'Leads' }).click();
  await expect(app.getByRole('heading', { name: 'Leads', level: 1 })).toBeVisible();
  await nav.getByRole('link', { name: 'Clients' }).click();
  await expect(app.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  await expect(app).toHaveURL(/#\/clients$/);
});

test('a client created through the modal shows in the list and survives a restart of the shell', async ({ app, shell, page }) => {
  await app.getByRole('button', { name: 'New client' }).first().click();
  const dialog = app.getByRole('dialog', { name: 'New client' });
  await dialog.getByLabel('Company Name').fill('Telefónica S.A.');
  await dialog.getByLabel('Email').fill('compras@telefonica.es');
  await dialog.getByRole('combobox', { name: 'Area' }).click();
  await app.getByRole('option', { name: 'Technology' }).click();
  await dialog.getByLabel('Website').fill('telefonica.es');
  await dialog.getByRole('button', { name: 'Create client' }).click();

  await expect(dialog).toBeHidden();
  const row = app.getByRole('row', { name: /Telefónica S\.A\./ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('compras@telefonica.es');
  await expect(row).toContainText(/CL-[0-9A-Z]{4}-0001/);

  await shell.stop();
  const restarted = await startShell(shell.dbFile);
  try {
    await page.goto(restarted.url);
    await expect(page.getByRole('row', { name: /Telefónica S\.A\./ })).toBeVisible();
  } finally {
    await restarted.stop();
  }
});

test('the modal cannot save without the required fields and says why', async ({ app }) => {
  await app.keyboard.press('Control+n');
  const dialog = app.getByRole('dialog', { name: 'New client' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Email').fill('not an email');
  await dialog.getByLabel('Email').blur();
  await expect(dialog.getByText('Enter a valid email address')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Create client' })).toBeDisabled();
  await dialog.getByLabel('Company Name').fill('Acme');
  await dialog.getByLabel('Company Name').fill('');
  await dialog.getByLabel('Company Name').blur();
  await expect(dialog.getByText('Required').first()).toBeVisible();

  // Closing with typed data asks before discarding it.
  await app.keyboard.press('Escape');
  await expect(app.getByRole('dialog', { name: 'Discard changes?' })).toBeVisible();
  await app.getByRole('button', { name: 'Discard' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.getByRole('heading', { name: 'No clients yet' })).toBeVisible();
});

test('switching to Spanish translates the interface and is remembered', async ({ app, page }) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByRole('combobox', { name: 'Language' }).click();
  await app.getByRole('option', { name: 'Español' }).click();
  await expect(app.getByRole('heading', { name: 'Ajustes', level: 1 })).toBeVisible();
  await expect(app.getByRole('link', { name: 'Clientes' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Ajustes', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Clientes' }).click();
  await expect(page.getByRole('button', { name: 'Nuevo cliente' }).first()).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Buscar clientes' })).toBeVisible();
});

test('bad input sent to a handler is refused with VALIDATION and nothing is written', async ({ app }) => {
  const answer = await app.evaluate(() => window.api.clients.create({ companyName: '', email: 'nope', areaId: '' }));
  expect(answer.ok).toBe(false);
  if (answer.ok) return;
  expect(answer.error.code).toBe('VALIDATION');
  expect(answer.error.fields?.map((f) => f.path).sort()).toEqual(['areaId', 'companyName', 'email']);
  const list = await app.evaluate(() => window.api.clients.list({}));
  expect(list.ok && list.data.rows).toEqual([]);
});
