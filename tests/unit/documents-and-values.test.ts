import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import { readWebsite, type Client } from '../../contract/clients';
import { latestDate } from '../../contract/common';
import type { ClientEvent } from '../../contract/events';
import { maxPendingUploads } from '../../contract/transfer';
import { createStaging } from '../../main/files/staging';
import { testRuntime } from '../support/runtime';

// Defects 6 (documents) and 7 (values) of the reliability issue: each case failed before its fix.

let rt: Awaited<ReturnType<typeof testRuntime>>;
let client: Client;
let areaId: string;

beforeEach(async () => {
  rt = await testRuntime();
  areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
  client = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.es', areaId });
});
afterEach(() => rt.dispose());

const b64 = (text: string) => Buffer.from(text).toString('base64');
const at = '2026-11-10T09:00:00.000Z';
const eventInput = (fields: Record<string, unknown> = {}) => ({ clientId: client.id, type: 'meeting', title: 'Kick-off', occurredAt: at, ...fields });

/** Every file under a folder (the document store, the staging folder), relative. */
function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();
}

/** Uploads bytes through the staged path in 2 MiB slices, as the event modal does for a large document. */
async function stage(fileName: string, bytes: Buffer): Promise<string> {
  const staged = await rt.call<{ fileId: string }>('files.beginUpload', { fileName, sizeBytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += 2 * 1024 * 1024) {
    await rt.call('files.appendUpload', { fileId: staged.fileId, offset, chunkBase64: bytes.subarray(offset, offset + 2 * 1024 * 1024).toString('base64') });
  }
  return staged.fileId;
}

describe('documents', () => {
  it('a failed events.update leaves no stored document behind (stale version, removed event)', async () => {
    const event = await rt.call<ClientEvent>('events.create', eventInput());
    const before = filesUnder(rt.ctx.files.root);
    await rt.call('events.update', { id: event.id, version: event.version, type: 'meeting', title: 'Renamed', occurredAt: at });
    const stale = await rt.dispatch('events.update', { id: event.id, version: event.version, type: 'meeting', title: 'Stale', occurredAt: at, attachments: [{ fileName: 'a.pdf', contentBase64: b64('stale save') }] });
    expect(stale.ok ? null : stale.error.code).toBe('CONFLICT');
    const missing = await rt.dispatch('events.update', { id: 'no-such-event', version: 1, type: 'meeting', title: 'Gone', occurredAt: at, attachments: [{ fileName: 'b.pdf', contentBase64: b64('gone') }] });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
    expect(filesUnder(rt.ctx.files.root)).toEqual(before);
  });

  it('a refused document takes back the ones stored before it in the same request', async () => {
    await rt.call('settings.set', { attachmentLimitMb: 1 });
    const refused = await rt.dispatch('events.create', eventInput({
      attachments: [{ fileName: 'small.pdf', contentBase64: b64('small') }, { fileName: 'big.bin', contentBase64: Buffer.alloc(1024 * 1024 + 1).toString('base64') }],
    }));
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'attachments.1', message: 'file_too_large', params: { limitMb: 1 } }] });
    expect(filesUnder(rt.ctx.files.root)).toEqual([]);
  });

  it('refuses content that is not base64 instead of storing garbage', async () => {
    for (const contentBase64 of ['not base64 at all!', '%%%%', 'QUJD\u0000', 'QUJ']) {
      const result = await rt.dispatch('events.create', eventInput({ attachments: [{ fileName: 'x.txt', contentBase64 }] }));
      expect(result.ok ? null : result.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'attachments.0.contentBase64', message: 'invalid' }] });
    }
    const neither = await rt.dispatch('events.create', eventInput({ attachments: [{ fileName: 'x.txt' }] }));
    expect(neither.ok ? null : neither.error.code).toBe('VALIDATION');
    expect(filesUnder(rt.ctx.files.root)).toEqual([]);
  });

  it('takes a large document through the staged upload, up to the Settings limit, and says the limit past it', async () => {
    await rt.call('settings.set', { attachmentLimitMb: 3 });
    const within = Buffer.alloc(3 * 1024 * 1024 - 10, 7);
    const fileId = await stage('scan.pdf', within);
    const event = await rt.call<ClientEvent>('events.create', eventInput({ attachments: [{ fileName: 'scan.pdf', mimeType: 'application/pdf', stagedFileId: fileId }] }));
    expect(event.attachments).toEqual([expect.objectContaining({ fileName: 'scan.pdf', sizeBytes: within.length })]);
    // Committed: the staged copy is gone, the stored one has every byte.
    expect(filesUnder(rt.ctx.staging.root)).toEqual([]);
    const row = await rt.db.selectFrom('attachments').select('sha256').where('id', '=', event.attachments[0]!.id).executeTakeFirstOrThrow();
    expect(fs.readFileSync(rt.ctx.files.pathOf(row.sha256)).equals(within)).toBe(true);

    const past = await stage('larger.pdf', Buffer.alloc(3 * 1024 * 1024 + 1, 8));
    const refused = await rt.dispatch('events.create', eventInput({ title: 'Too big', attachments: [{ fileName: 'larger.pdf', stagedFileId: past }] }));
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'attachments.0', message: 'file_too_large', params: { limitMb: 3 } }] });
    expect(filesUnder(rt.ctx.files.root)).toEqual([path.join(row.sha256.slice(0, 2), row.sha256)]);

    const unknown = await rt.dispatch('events.create', eventInput({ attachments: [{ fileName: 'x.pdf', stagedFileId: 'no-such-upload' }] }));
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
  });

  it('an upload may announce the largest Settings limit (1024 MB), not more', async () => {
    const largest = await rt.dispatch('files.beginUpload', { fileName: 'video.mp4', sizeBytes: 1024 * 1024 * 1024 });
    expect(largest.ok).toBe(true);
    const more = await rt.dispatch('files.beginUpload', { fileName: 'video.mp4', sizeBytes: 1024 * 1024 * 1024 + 1 });
    expect(more.ok ? null : more.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'sizeBytes', message: 'file_too_large', params: { limitMb: 1024 } }] });
  });

  it('caps the uploads in progress by count and by bytes announced', async () => {
    for (let i = 0; i < maxPendingUploads; i++) expect((await rt.dispatch('files.beginUpload', { fileName: `f${i}.bin`, sizeBytes: 1024 })).ok).toBe(true);
    const one = await rt.dispatch('files.beginUpload', { fileName: 'one-more.bin', sizeBytes: 1024 });
    expect(one.ok ? null : one.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'sizeBytes', message: 'staging_full', params: { max: maxPendingUploads, limitMb: 2048 } }] });
    expect(filesUnder(rt.ctx.staging.root)).toHaveLength(maxPendingUploads);
  });

  it('fifty announcements of 512 MiB: only what fits in the byte cap is accepted; a quiet upload gives its room', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-staging-'));
    let clock = 0;
    let n = 0;
    const staging = createStaging(dir, () => `up-${++n}`, () => new Date(clock), { uploads: 100, bytes: 2048 * 1024 * 1024, idleMs: 60_000 });
    let accepted = 0;
    for (let i = 0; i < 50; i++) {
      try {
        staging.beginUpload('big.bin', 512 * 1024 * 1024);
        accepted++;
      } catch (error) {
        expect(error).toMatchObject({ code: 'VALIDATION', fields: [{ message: 'staging_full' }] });
      }
    }
    expect(accepted).toBe(4);
    // The first one keeps sending: it stays; the others went quiet for a minute and one gives way.
    clock = 59_000;
    staging.append('up-1', 0, Buffer.alloc(10));
    clock = 61_000;
    expect(staging.beginUpload('late.bin', 512 * 1024 * 1024).fileId).toBe('up-5');
    // The quiet one that waited longest (up-2) made room; the one still sending (up-1) goes on.
    expect(fs.readdirSync(dir).sort()).toEqual(['up-1.bin', 'up-3.bin', 'up-4.bin', 'up-5.bin']);
    expect(staging.append('up-1', 10, Buffer.alloc(10)).receivedBytes).toBe(20);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('values', () => {
  it('websites: refuses paths that climb, credentials, numbers and addresses; keeps real names', () => {
    for (const bad of ['../../etc/passwd', 'user:pw@host.com', 'user@acme.es', '42', '192.168.1.1', 'http://[::1]/', 'localhost', 'acme', 'acme.123', 'ftp://acme.es', 'acme.es/../x', 'acme .es', 'javascript:alert(1)']) {
      expect(readWebsite(bad), bad).toBeNull();
    }
    expect(readWebsite('acme.es')).toBe('https://acme.es');
    expect(readWebsite('http://www.Acme.co.uk/careers?x=1')).toBe('http://www.acme.co.uk/careers?x=1');
    expect(readWebsite('münchen.de')).toBe('https://xn--mnchen-3ya.de');
  });

  it('websites are refused by clients.create and update as invalid_url', async () => {
    for (const website of ['../../etc/passwd', 'user:pw@host', '42']) {
      const result = await rt.dispatch('clients.create', { companyName: `Co ${website}`, email: 'a@b.es', areaId, website });
      expect(result.ok ? null : result.error, website).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'website', message: 'invalid_url' }] });
    }
  });

  it('dates: a business range for occurredAt, expectedCloseDate and list filters', async () => {
    const max = latestDate(5);
    for (const occurredAt of ['0001-01-01T00:00:00.000Z', '9999-12-31T00:00:00.000Z', '1899-12-31T23:59:59.000Z']) {
      const result = await rt.dispatch('events.create', eventInput({ occurredAt }));
      expect(result.ok ? null : result.error, occurredAt).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'occurredAt', message: 'date_out_of_range', params: { min: '1900-01-01', max } }] });
    }
    expect((await rt.dispatch('events.create', eventInput({ occurredAt: '1900-01-01T00:00:00.000Z' }))).ok).toBe(true);
    const job = await rt.dispatch('jobs.create', { clientId: client.id, title: 'Engineer', expectedCloseDate: '9999-01-01' });
    expect(job.ok ? null : job.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'expectedCloseDate', message: 'date_out_of_range' }] });
    const lead = await rt.call<{ id: string }>('leads.create', { companyName: 'Lead Co' });
    const leadEvent = await rt.dispatch('leads.recordEvent', { leadId: lead.id, type: 'call', title: 'Call', occurredAt: '0001-01-01T00:00:00.000Z' });
    expect(leadEvent.ok ? null : leadEvent.error).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'occurredAt', message: 'date_out_of_range' }] });
    const filter = await rt.dispatch('clients.list', { filter: { createdFrom: '0001-01-01' } });
    expect(filter.ok ? null : filter.error.code).toBe('VALIDATION');
  });

  it('events and jobs create/update inputs are strict: an unknown key is refused and writes nothing', async () => {
    const event = await rt.call<ClientEvent>('events.create', eventInput());
    const job = await rt.call<{ id: string; version: number }>('jobs.create', { clientId: client.id, title: 'Engineer' });
    const cases: [string, Record<string, unknown>][] = [
      ['events.create', eventInput({ createdBy: 'someone' })],
      ['events.update', { id: event.id, version: event.version, type: 'meeting', title: 'X', occurredAt: at, clientId: 'other' }],
      ['jobs.create', { clientId: client.id, title: 'Engineer', code: 'J-1' }],
      ['jobs.update', { id: job.id, version: job.version, title: 'Engineer', deletedAt: at }],
    ];
    const logBefore = await rt.db.selectFrom('change_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const [channel, input] of cases) {
      const result = await rt.dispatch(channel, input);
      expect(result.ok ? null : result.error.code, channel).toBe('VALIDATION');
    }
    const logAfter = await rt.db.selectFrom('change_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(logAfter.n).toBe(logBefore.n);
  });

  it('free text refuses control characters and lone surrogates; a single-line field reads a line break as a space', async () => {
    for (const companyName of ['Acme\u0000', 'Acme\u0007 Ltd', 'Acme \ud800']) {
      const result = await rt.dispatch('clients.create', { companyName, email: 'a@b.es', areaId });
      expect(result.ok ? null : result.error, JSON.stringify(companyName)).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'companyName', message: 'invalid_characters' }] });
    }
    const created = await rt.call<Client>('clients.create', { companyName: 'Two\nLines  Co', email: 'two@lines.es', areaId, comments: 'first\nsecond' });
    expect(created.companyName).toBe('Two Lines  Co');
    expect(created.comments).toBe('first\nsecond');
  });

  it('leads.list reads only the cursor it handed out (the one cursor format of every list)', async () => {
    for (let i = 0; i < 3; i++) await rt.call('leads.create', { companyName: `Lead ${i}` });
    const first = await rt.call<{ rows: { companyName: string }[]; nextCursor: string | null }>('leads.list', { limit: 2 });
    const second = await rt.call<{ rows: { companyName: string }[]; nextCursor: string | null }>('leads.list', { limit: 2, cursor: first.nextCursor });
    expect([...first.rows, ...second.rows].map((l) => l.companyName).sort()).toEqual(['Lead 0', 'Lead 1', 'Lead 2']);
    expect(second.nextCursor).toBeNull();
    const jobsCursor = Buffer.from(JSON.stringify([42, 'x'])).toString('base64url');
    for (const cursor of ['garbage', "x' OR 1=1 --", '2026-01-01T00:00:00.000Z|id', jobsCursor, Buffer.from(JSON.stringify(['not a date', 'id'])).toString('base64url')]) {
      for (const channel of ['leads.list', 'events.list', 'jobs.list', 'clients.list']) {
        const input = channel === 'events.list' ? { clientId: client.id, cursor } : { cursor };
        const result = await rt.dispatch(channel, input);
        if (channel === 'jobs.list' || channel === 'clients.list') {
          // Their sort values are of several kinds (names, numbers as text): only the shape is checked.
          if (cursor === Buffer.from(JSON.stringify(['not a date', 'id'])).toString('base64url')) continue;
        }
        expect(result.ok ? null : result.error, `${channel} ${cursor}`).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'cursor', message: 'invalid_cursor' }] });
      }
    }
  });
});
