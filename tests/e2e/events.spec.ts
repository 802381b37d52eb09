import fs from 'node:fs';
import { expect, test } from './shell';

test('a meeting with two owners and a document: timeline, filter, download, delete and undo', async ({ app }) => {
  const clientId = await app.evaluate(async () => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    await window.api.users.create({ name: 'Ana García', email: 'ana@agency.es' });
    await window.api.users.create({ name: 'Luis Pérez', email: null });
    const client = await window.api.clients.create({ companyName: 'Acme Iberia', email: 'info@acme.es', areaId: areas.data[0]!.id });
    if (!client.ok) throw new Error('client');
    const call = await window.api.events.create({ clientId: client.data.id, type: 'call', title: 'Intro call', occurredAt: '2026-09-01T09:00:00.000Z' });
    if (!call.ok) throw new Error('call');
    return client.data.id;
  });
  await app.goto(new URL(`#/clients/${clientId}/events`, app.url()).toString());
  await app.reload();
  const timeline = app.getByRole('list', { name: 'Events' });
  await expect(timeline.getByRole('listitem', { name: 'Intro call' })).toBeVisible();

  await app.getByRole('button', { name: 'Add event' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add event' });
  await dialog.getByLabel('Title').fill('Kick-off meeting');
  await dialog.getByRole('combobox', { name: 'Responsible' }).click();
  await app.getByRole('option', { name: 'Ana García' }).click();
  await app.getByRole('option', { name: 'Luis Pérez' }).click();
  await dialog.getByRole('heading', { name: 'Add event' }).click();
  const bytes = Buffer.from('%PDF-1.4 agenda for the kick-off, with ñ and €');
  await dialog.getByLabel('choose files').setInputFiles({ name: 'agenda.pdf', mimeType: 'application/pdf', buffer: bytes });
  await expect(dialog.getByText('agenda.pdf')).toBeVisible();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const meeting = timeline.getByRole('listitem', { name: 'Kick-off meeting' });
  await expect(meeting).toContainText('Ana García');
  await expect(meeting).toContainText('Luis Pérez');
  await expect(meeting).toContainText('1 document');
  await expect(app.getByRole('tab', { name: /Events/ })).toContainText('2');

  await app.getByRole('combobox', { name: 'Types' }).click();
  await app.getByRole('option', { name: 'Meeting' }).click();
  await app.keyboard.press('Escape');
  await expect(timeline.getByRole('listitem')).toHaveCount(1);
  await expect(meeting).toBeVisible();

  const download = app.waitForEvent('download');
  await meeting.getByRole('button', { name: 'Download agenda.pdf' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('agenda.pdf');
  expect(fs.readFileSync(await file.path())).toEqual(bytes);

  await meeting.getByRole('button', { name: 'Delete event Kick-off meeting' }).click();
  await app.getByRole('dialog', { name: 'Delete "Kick-off meeting"?' }).getByRole('button', { name: 'Delete event' }).click();
  await expect(app.getByText('No events match these filters.')).toBeVisible();
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect(timeline.getByRole('listitem', { name: 'Kick-off meeting' })).toBeVisible();
  await expect(timeline.getByRole('listitem', { name: 'Kick-off meeting' })).toContainText('1 document');

  // The combined activity: events and profile changes in time order.
  await app.getByText('All activity').click();
  const activity = app.getByRole('region', { name: 'Recent activity' });
  await expect(activity).toContainText('Kick-off meeting');
  await expect(activity).toContainText('Profile created');
});

test('team members are added and deactivated in Settings; inactive ones cannot be assigned', async ({ app }) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByRole('button', { name: 'Add member' }).click();
  await app.getByRole('dialog', { name: 'Add member' }).getByLabel('Name').fill('Marta Ruiz');
  await app.getByRole('dialog', { name: 'Add member' }).getByRole('button', { name: 'Save' }).click();
  const team = app.getByRole('table', { name: 'Team members' });
  await expect(team.getByRole('row', { name: /Marta Ruiz/ })).toBeVisible();
  await team.getByRole('switch', { name: 'Deactivate Marta Ruiz' }).click();
  await expect(team.getByRole('row', { name: /Marta Ruiz/ })).toContainText('Inactive');
  const answer = await app.evaluate(async () => {
    const users = await window.api.users.list({ includeInactive: true });
    const areas = await window.api.areas.list({});
    if (!users.ok || !areas.ok) throw new Error('lists');
    const marta = users.data.find((u) => u.name === 'Marta Ruiz')!;
    const client = await window.api.clients.create({ companyName: 'Beta', email: 'b@beta.es', areaId: areas.data[0]!.id });
    if (!client.ok) throw new Error('client');
    return window.api.events.create({ clientId: client.data.id, type: 'call', title: 'Call', occurredAt: '2026-11-01T09:00:00.000Z', ownerIds: [marta.id] });
  });
  expect(answer.ok ? null : answer.error.code).toBe('VALIDATION');
});

test('a large document is uploaded in slices up to the Settings limit; past it the modal says the limit', async ({ app }) => {
  const clientId = await app.evaluate(async () => {
    const areas = await window.api.areas.list({});
    if (!areas.ok) throw new Error('areas');
    await window.api.settings.set({ attachmentLimitMb: 3 });
    const client = await window.api.clients.create({ companyName: 'Acme Iberia', email: 'info@acme.es', areaId: areas.data[0]!.id });
    if (!client.ok) throw new Error('client');
    return client.data.id;
  });
  await app.goto(new URL(`#/clients/${clientId}/events`, app.url()).toString());
  await app.reload();
  const timeline = app.getByRole('list', { name: 'Events' });

  // 2.5 MB: more than one request carries (2 MiB), so it goes through the staged upload first.
  const large = Buffer.alloc(2.5 * 1024 * 1024, 'a');
  large.write('%PDF-1.4 scanned contract', 0);
  await app.getByRole('button', { name: 'Add event' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add event' });
  await dialog.getByLabel('Title').fill('Signed contract');
  await dialog.getByLabel('choose files').setInputFiles({ name: 'contract.pdf', mimeType: 'application/pdf', buffer: large });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const saved = timeline.getByRole('listitem', { name: 'Signed contract' });
  await expect(saved).toContainText('1 document');
  const download = app.waitForEvent('download');
  await saved.getByRole('button', { name: 'Download contract.pdf' }).click();
  expect(fs.readFileSync(await (await download).path()).equals(large)).toBe(true);

  // Past the limit when picked: not added, and the notice says the limit.
  await app.getByRole('button', { name: 'Add event' }).click();
  await dialog.getByLabel('Title').fill('Scans');
  await dialog.getByLabel('choose files').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(3 * 1024 * 1024 + 1) });
  await expect(app.getByText('huge.pdf is larger than 3 MB and was not added.')).toBeVisible();
  await expect(dialog.getByText('huge.pdf')).toHaveCount(0);

  // The limit lowered meanwhile (in another window): main refuses the upload and the document says the limit.
  await dialog.getByLabel('choose files').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: large });
  await app.evaluate(() => window.api.settings.set({ attachmentLimitMb: 1 }));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Larger than the 1 MB limit')).toBeVisible();
  await expect(dialog.getByText('Up to 1 MB each')).toBeVisible();
  await dialog.getByRole('button', { name: 'Remove scan.pdf' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(timeline.getByRole('listitem', { name: 'Scans' })).toBeVisible();
});
