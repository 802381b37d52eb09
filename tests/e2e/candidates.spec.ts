import { expect, test } from './shell';

test('a recruiter adds a candidate with a CV, applies them, moves them to placed and sees the fee earned and the guarantee listed', async ({ app }) => {
  const { clientId, jobCode } = await app.evaluate(async () => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    const client = await window.api.clients.create({ companyName: 'Acme Iberia', email: 'info@acme.es', areaId: areas.data[0]!.id });
    if (!client.ok) throw new Error('client');
    const job = await window.api.jobs.create({
      clientId: client.data.id, title: 'Backend Engineer', status: 'open', openings: 1, salaryMinMinor: 4_000_000, salaryMaxMinor: 4_800_000, salaryCurrency: 'EUR', salaryPeriod: 'year',
      feeType: 'percentage', feePercent: 20, probability: 50, guaranteeDays: 90, guaranteePolicy: 'refund', proRataDays: 90,
    });
    if (!job.ok) throw new Error('job');
    return { clientId: client.data.id, jobCode: job.data.code };
  });

  await app.getByRole('link', { name: 'Candidates' }).click();
  await expect(app.getByText('No candidates yet')).toBeVisible();
  await app.getByRole('button', { name: 'New candidate' }).first().click();
  const form = app.getByRole('dialog', { name: 'New candidate' });
  await form.getByLabel('Full name').fill('Lucía Martín');
  await form.getByLabel('Email').fill('lucia@correo.es');
  await form.getByLabel('Current title').fill('Backend developer');
  await form.getByRole('button', { name: 'Add candidate' }).click();
  await expect(form).toBeHidden();
  await expect(app.getByRole('heading', { level: 1, name: 'Lucía Martín' })).toBeVisible();

  // The CV goes into the same content-addressed store as event documents.
  await app.locator('input[type=file]').setInputFiles({ name: 'lucia-cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 Lucía Martín CV') });
  await expect(app.getByRole('region', { name: 'CV and documents' })).toContainText('lucia-cv.pdf');

  // Search finds her without the accents.
  await app.getByRole('link', { name: 'Candidates' }).first().click();
  await app.getByRole('textbox', { name: 'Search candidates' }).fill('lucia martin');
  await expect(app.getByRole('table', { name: 'Candidates' })).toContainText('Lucía Martín');
  await app.getByRole('table', { name: 'Candidates' }).getByText('Lucía Martín').click();

  await app.getByRole('button', { name: 'Apply to a posting' }).click();
  const apply = app.getByRole('dialog', { name: 'Apply to a posting' });
  await apply.getByLabel('Posting').click();
  await app.getByRole('option', { name: /Backend Engineer/ }).click();
  await apply.getByRole('button', { name: 'Apply' }).click();
  await expect(apply).toBeHidden();
  await expect(app.getByRole('table', { name: 'Applications' })).toContainText('Backend Engineer');

  // The posting's pipeline on the client's Jobs tab: a move from the keyboard, then a drag to Placed.
  await app.goto(new URL(`#/clients/${clientId}/jobs`, app.url()).toString());
  await app.getByRole('button', { name: `Pipeline of ${jobCode}` }).click();
  const card = app.getByRole('listitem', { name: 'Lucía Martín, in Applied' });
  await card.focus();
  await app.keyboard.press('ArrowRight');
  await expect(app.getByRole('region', { name: 'Screening: 1 candidate' })).toBeVisible();
  await expect(app.getByRole('region', { name: 'Applied: 0 candidates' })).toBeVisible();

  await app.getByRole('listitem', { name: 'Lucía Martín, in Screening' }).dragTo(app.getByRole('region', { name: /^Placed:/ }));
  const place = app.getByRole('dialog', { name: 'Place Lucía Martín' });
  await expect(place.getByLabel('Agreed salary')).toHaveValue('48,000');
  await expect(place.getByTestId('placement-fee')).toHaveText('20 % × €48,000 = €9,600');
  await expect(place).toContainText('This is the last opening: the posting becomes Filled.');
  await place.getByRole('button', { name: 'Place candidate' }).click();
  await expect(place).toBeHidden();
  await expect(app.getByRole('region', { name: 'Placed: 1 candidate' })).toContainText('€9,600');
  await app.keyboard.press('Escape');
  await expect(app.getByRole('table', { name: 'Jobs' })).toContainText('Filled');

  // The dashboard: this month's earned revenue, and the guarantee listed with its end date.
  await app.getByRole('link', { name: 'Dashboard' }).click();
  await expect(app.getByTestId('earned-now-EUR')).toHaveText('€9,600');
  const ending = app.getByRole('list', { name: 'Guarantees ending' });
  await expect(ending).toContainText('Lucía Martín');
  // The placement started today (the dialog's default); its 90-day guarantee ends 90 calendar days later.
  const end = await app.evaluate(() => {
    const start = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
    return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(start + 90 * 86_400_000));
  });
  await expect(ending).toContainText(end);

  // The same in Spanish.
  await app.evaluate(async () => void (await window.api.settings.set({ language: 'es' })));
  await app.reload();
  await expect(app.getByRole('list', { name: 'Garantías que terminan' })).toContainText('Lucía Martín');
  await expect(app.getByTestId('earned-now-EUR')).toHaveText('9600 €');
});
