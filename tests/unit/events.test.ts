import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client } from '../../contract/clients';
import type { ActivityItem, ClientEvent } from '../../contract/events';
import type { User } from '../../contract/users';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let client: Client;
let users: User[];

beforeEach(async () => {
  rt = await testRuntime();
  const areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
  client = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.es', areaId });
  await rt.call('users.create', { name: 'Ana García', email: 'ana@agency.es' });
  await rt.call('users.create', { name: 'Luis Pérez' });
  users = await rt.call<User[]>('users.list', { includeInactive: true });
});
afterEach(() => rt.dispose());

const b64 = (text: string) => Buffer.from(text).toString('base64');
const create = (fields: Record<string, unknown>) => rt.call<ClientEvent>('events.create', { clientId: client.id, type: 'meeting', title: 'Kick-off', occurredAt: '2026-11-10T09:00:00.000Z', ...fields });
const timeline = (filter: Record<string, unknown> = {}) => rt.call<{ rows: ClientEvent[]; nextCursor: string | null }>('events.list', { clientId: client.id, ...filter });

describe('events', () => {
  it('creates a meeting with two owners and a document, newest first in the timeline', async () => {
    const ana = users.find((u) => u.name === 'Ana García')!;
    const luis = users.find((u) => u.name === 'Luis Pérez')!;
    await create({ title: 'Older call', type: 'call', occurredAt: '2026-10-01T09:00:00.000Z' });
    const meeting = await create({ ownerIds: [ana.id, luis.id], attachments: [{ fileName: 'agenda.pdf', mimeType: 'application/pdf', contentBase64: b64('%PDF agenda') }] });
    expect(meeting.owners.map((o) => o.name)).toEqual(['Ana García', 'Luis Pérez']);
    expect(meeting.attachments).toEqual([expect.objectContaining({ fileName: 'agenda.pdf', sizeBytes: 11 })]);
    expect((await timeline()).rows.map((e) => e.title)).toEqual(['Kick-off', 'Older call']);
    const file = await rt.call<{ contentBase64: string }>('attachments.get', { id: meeting.attachments[0]!.id });
    expect(Buffer.from(file.contentBase64, 'base64').toString()).toBe('%PDF agenda');
    const detail = await rt.call<{ client: Client }>('clients.get', { id: client.id });
    expect(detail.client.lastActivityAt).toBe('2026-11-10T09:00:00.000Z');
  });

  it('filters by type, owner, date range and text, and pages by keyset', async () => {
    const ana = users.find((u) => u.name === 'Ana García')!;
    await create({ title: 'Proposal sent', type: 'proposal', amountMinor: 500_000, amountCurrency: 'EUR', proposalState: 'sent', occurredAt: '2026-09-01T09:00:00.000Z' });
    await create({ title: 'Weekly sync', notes: 'Discussed the backend role', ownerIds: [ana.id], occurredAt: '2026-11-01T09:00:00.000Z' });
    await create({ title: 'Survey', type: 'satisfaction_survey', score: 9, occurredAt: '2026-11-05T09:00:00.000Z' });
    expect((await timeline({ types: ['proposal'] })).rows.map((e) => e.title)).toEqual(['Proposal sent']);
    expect((await timeline({ ownerIds: [ana.id] })).rows.map((e) => e.title)).toEqual(['Weekly sync']);
    expect((await timeline({ from: '2026-10-15', to: '2026-11-01' })).rows.map((e) => e.title)).toEqual(['Weekly sync']);
    expect((await timeline({ search: 'backend' })).rows.map((e) => e.title)).toEqual(['Weekly sync']);
    const first = await timeline({ limit: 2 });
    const second = await timeline({ limit: 2, cursor: first.nextCursor });
    expect([...first.rows, ...second.rows].map((e) => e.title)).toEqual(['Survey', 'Weekly sync', 'Proposal sent']);
    expect(second.nextCursor).toBeNull();
  });

  it('validates survey scores and document size, and writes nothing when refused', async () => {
    const noScore = await rt.dispatch('events.create', { clientId: client.id, type: 'satisfaction_survey', title: 'Q3', occurredAt: '2026-11-01T09:00:00.000Z' });
    expect(noScore.ok ? null : noScore.error.fields).toEqual([{ path: 'score', message: 'required' }]);
    const badScore = await rt.dispatch('events.create', { clientId: client.id, type: 'satisfaction_survey', title: 'Q3', score: 11, occurredAt: '2026-11-01T09:00:00.000Z' });
    expect(badScore.ok ? null : badScore.error.code).toBe('VALIDATION');
    await rt.call('settings.set', { attachmentLimitMb: 1 });
    const big = await rt.dispatch('events.create', {
      clientId: client.id, type: 'note', title: 'Big', occurredAt: '2026-11-01T09:00:00.000Z',
      attachments: [{ fileName: 'huge.bin', contentBase64: Buffer.alloc(1024 * 1024 + 1).toString('base64') }],
    });
    expect(big.ok ? null : big.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'attachments.0', message: 'file_too_large', params: { limitMb: 1 } }] });
    expect((await timeline()).rows).toEqual([]);
  });

  it('deletes with undo, and never deletes a file another event still uses', async () => {
    const doc = { fileName: 'cv.pdf', mimeType: 'application/pdf', contentBase64: b64('same bytes') };
    const a = await create({ title: 'A', attachments: [doc] });
    const b = await create({ title: 'B', attachments: [{ ...doc, fileName: 'copy.pdf' }] });
    const sha = (await rt.db.selectFrom('attachments').select('sha256').where('id', '=', a.attachments[0]!.id).executeTakeFirstOrThrow()).sha256;

    await rt.call('events.delete', { id: a.id });
    expect((await timeline()).rows.map((e) => e.title)).toEqual(['B']);
    // Removing and restoring are saves of the event: each moves its version on.
    const restored = await rt.call<{ version: number }>('events.restore', { id: a.id });
    expect(restored.version).toBe(a.version + 2);
    expect((await timeline()).rows.map((e) => e.title).sort()).toEqual(['A', 'B']);

    await rt.call('events.update', { id: a.id, version: restored.version, type: 'meeting', title: 'A', occurredAt: a.occurredAt, removeAttachmentIds: [a.attachments[0]!.id] });
    expect(rt.ctx.files.has(sha)).toBe(true);
    await rt.call('events.update', { id: b.id, version: b.version, type: 'meeting', title: 'B', occurredAt: b.occurredAt, removeAttachmentIds: [b.attachments[0]!.id] });
    expect(rt.ctx.files.has(sha)).toBe(false);
  });

  it('keeps a deactivated owner on old events but refuses it on new ones', async () => {
    const luis = users.find((u) => u.name === 'Luis Pérez')!;
    const old = await create({ ownerIds: [luis.id] });
    await rt.call('users.update', { id: luis.id, name: 'Luis Pérez', active: false });
    expect((await timeline()).rows[0]!.owners).toEqual([{ id: luis.id, name: 'Luis Pérez', active: false }]);
    const refused = await rt.dispatch('events.create', { clientId: client.id, type: 'call', title: 'New', occurredAt: '2026-11-11T09:00:00.000Z', ownerIds: [luis.id] });
    expect(refused.ok ? null : refused.error.code).toBe('VALIDATION');
    const kept = await rt.dispatch('events.update', { id: old.id, version: old.version, type: 'meeting', title: 'Renamed', occurredAt: old.occurredAt, ownerIds: [luis.id] });
    expect(kept.ok).toBe(true);
  });

  it('feeds the satisfaction average and the activity stream', async () => {
    await create({ type: 'satisfaction_survey', title: 'Q2', score: 7, occurredAt: '2026-06-01T09:00:00.000Z' });
    await create({ type: 'satisfaction_survey', title: 'Q3', score: 10, occurredAt: '2026-09-01T09:00:00.000Z' });
    const detail = await rt.call<{ satisfaction: { average: number; latest: number; count: number } }>('clients.get', { id: client.id });
    expect(detail.satisfaction).toEqual({ average: 8.5, latest: 10, count: 2 });
    const activity = await rt.call<ActivityItem[]>('clients.activity', { clientId: client.id, limit: 10 });
    expect(activity.map((a) => a.kind)).toContain('event');
    expect(activity.map((a) => a.kind)).toContain('profile');
    expect(activity.map((a) => a.at)).toEqual([...activity.map((a) => a.at)].sort().reverse());
  });
});
