import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNames, type ChannelName } from '../../contract';
import { syncedTables } from '../support/replay';
import { testRuntime } from '../support/runtime';
import { csvFile, download, runTaskOk, upload } from '../support/transfer';

// No mutating channel without its log. Every channel of the contract is listed here: either it changes no
// synced table (read-only, or local to this laptop), or it has a case saying which change-log rows a call
// writes — in the call's own transaction, stamped with this device's next sequence numbers — and an input it
// refuses, after which no table and no log row has changed. A channel added to the contract without an entry
// here fails the first test.

type Rt = Awaited<ReturnType<typeof testRuntime>>;

/** Channels that write no synced table: reads, files on their way in or out, and settings of this laptop. */
const withoutSyncedWrites: ChannelName[] = [
  'app.info', 'settings.get', 'settings.set', 'areas.list', 'users.list', 'clients.checkDuplicates', 'clients.get', 'clients.history', 'clients.metrics',
  'clients.list', 'contacts.list', 'views.list', 'views.create', 'views.update', 'views.delete', 'dashboard.stats', 'events.list', 'attachments.get',
  'attachments.open', 'clients.activity', 'jobs.list', 'jobs.totals', 'jobs.get', 'leads.list', 'leads.get', 'leads.events', 'files.beginUpload',
  'files.appendUpload', 'files.pick', 'files.read', 'files.saveAs', 'files.showSaved', 'files.discard', 'exports.clients', 'exports.dossier',
  'imports.analyze', 'imports.values', 'imports.preview', 'tasks.get', 'tasks.cancel', 'sync.status', 'sync.settings', 'sync.configure', 'sync.test', 'sync.now',
  'sync.cancel', 'backups.list', 'backups.create', 'candidates.list', 'candidates.facets', 'candidates.get', 'candidates.checkDuplicates', 'candidates.history',
  'candidates.openDocument', 'candidates.stageDocument', 'exports.candidates', 'stages.list', 'applications.list', 'applications.pipeline', 'applications.counts',
  'applications.clientTotals', 'applications.history', 'duplicates.list', 'contacts.duplicates', 'clients.mergedByCode',
];

/**
 * Channels that put back a whole earlier copy of the database rather than write records: the copy's own log
 * comes with it, and the sync job resumes after it (db/sync/outbox.ts markRestored).
 */
const replacesDatabase: ChannelName[] = ['backups.restore'];

interface Fixture {
  rt: Rt;
  areaId: string;
  userId: string;
  client: { id: string; version: number };
  contact: { id: string; version: number };
  event: { id: string; version: number; occurredAt: string };
  job: Record<string, unknown> & { id: string; version: number };
  lead: { id: string; version: number };
  candidate: { id: string; version: number };
  application: { id: string; version: number };
}

type Log = [entity: string, operation: string][];

interface Case {
  /** Calls the channel once with valid input (through its task when it starts one). */
  call: (f: Fixture) => Promise<unknown>;
  /** The log rows that call writes, in any order. */
  writes: Log | ((f: Fixture) => Log);
  /** An input the channel refuses. */
  refused: (f: Fixture) => unknown;
}

const doc = (name: string) => ({ fileName: name, mimeType: 'text/plain', contentBase64: Buffer.from(name).toString('base64') });
const at = '2026-11-20T10:00:00.000Z';
const leadEvent = (f: Fixture, type: string) => f.rt.call('leads.recordEvent', { leadId: f.lead.id, type, title: type, occurredAt: at, lostReason: type === 'lost_deal' ? 'Budget' : null });

const placement = { startDate: '2026-12-01', salaryMinor: 4_800_000, salaryCurrency: 'EUR', salaryPeriod: 'year' };
const placeApplication = (f: Fixture) => f.rt.call<{ version: number; placement: { id: string; version: number } }>('applications.move', { id: f.application.id, version: f.application.version, stageId: 'stage-placed', placement });
const cv = (rt: Rt) => upload(rt, 'cv.pdf', Buffer.from('%PDF-1.4 cv'));

/** A second client like the fixture's, with a contact, an event and a posting of its own (what a merge moves). */
async function twin(f: Fixture) {
  const other = await f.rt.call<{ id: string; version: number }>('clients.create', { companyName: 'Acme Talent Group', email: 'hello@acme.es', areaId: f.areaId, acknowledgedDuplicateIds: [f.client.id] });
  await f.rt.call('contacts.create', { clientId: other.id, name: 'Luis Pérez', email: 'luis@acme.es' });
  await f.rt.call('events.create', { clientId: other.id, type: 'call', title: 'Call', occurredAt: at, ownerIds: [] });
  return other;
}
const mergeTwin = async (f: Fixture) => {
  const other = await twin(f);
  return f.rt.call<{ mergeId: string }>('clients.merge', { survivorId: f.client.id, mergedId: other.id, survivorVersion: f.client.version, mergedVersion: other.version, takeFromMerged: ['phone', 'email'] });
};
const twinLog: Log = [['client', 'create'], ['contact', 'create'], ['event', 'create']];
const mergeLog: Log = [['client', 'update'], ['contact', 'update'], ['event', 'update'], ['merge', 'create'], ['client', 'delete']];

const cases: Partial<Record<ChannelName, Case>> = {
  'duplicates.setDismissed': {
    call: async (f) => f.rt.call('duplicates.setDismissed', { firstId: (await twin(f)).id, secondId: f.client.id, dismissed: true }),
    writes: [...twinLog, ['duplicate_dismissal', 'create']],
    refused: (f) => ({ firstId: f.client.id, secondId: f.client.id, dismissed: 'yes' }),
  },
  'clients.merge': {
    call: (f) => mergeTwin(f),
    writes: [...twinLog, ...mergeLog],
    refused: (f) => ({ survivorId: f.client.id, mergedId: f.client.id, survivorVersion: f.client.version, mergedVersion: f.client.version }),
  },
  'merges.undo': {
    call: async (f) => f.rt.call('merges.undo', { mergeId: (await mergeTwin(f)).mergeId }),
    // The merged-away client back, the survivor's email back, the contact and the event home again, the merge removed.
    writes: [...twinLog, ...mergeLog, ['client', 'restore'], ['event', 'update'], ['contact', 'update'], ['client', 'update'], ['merge', 'delete']],
    refused: () => ({ mergeId: 'no-such-merge' }),
  },
  'contacts.merge': {
    call: async (f) => {
      const other = await f.rt.call<{ id: string; version: number }>('contacts.create', { clientId: f.client.id, name: 'Ana Garcia', email: 'agarcia@acme.es' });
      return f.rt.call('contacts.merge', { survivorId: f.contact.id, mergedId: other.id, survivorVersion: f.contact.version, mergedVersion: other.version, takeFromMerged: ['email'] });
    },
    writes: [['contact', 'create'], ['contact', 'update'], ['merge', 'create'], ['contact', 'delete']],
    refused: (f) => ({ survivorId: f.contact.id, mergedId: f.contact.id, survivorVersion: f.contact.version, mergedVersion: f.contact.version }),
  },
  'candidates.create': {
    call: (f) => f.rt.call('candidates.create', { fullName: 'Lucía Martín', email: 'lucia@mail.example', tags: ['python'] }),
    writes: [['candidate', 'create']],
    // The same email as a candidate on file: one address, one person.
    refused: () => ({ fullName: 'Someone Else', email: 'marta@mail.example' }),
  },
  'candidates.update': {
    call: (f) => f.rt.call('candidates.update', { id: f.candidate.id, version: f.candidate.version, fullName: 'Marta Ruiz Gil', email: 'marta@mail.example', location: 'Madrid' }),
    writes: [['candidate', 'update']],
    refused: (f) => ({ id: f.candidate.id, version: f.candidate.version + 2, fullName: 'Stale' }),
  },
  'candidates.delete': { call: (f) => f.rt.call('candidates.delete', f.candidate), writes: [['candidate', 'delete']], refused: (f) => ({ id: f.candidate.id, version: 99 }) },
  'candidates.restore': {
    call: async (f) => {
      const removed = await f.rt.call<{ version: number }>('candidates.delete', f.candidate);
      return f.rt.call('candidates.restore', { id: f.candidate.id, version: removed.version });
    },
    writes: [['candidate', 'delete'], ['candidate', 'restore']],
    refused: () => ({ id: 'no-such-candidate', version: 1 }),
  },
  'candidates.addDocument': {
    call: async (f) => f.rt.call('candidates.addDocument', { candidateId: f.candidate.id, fileId: await cv(f.rt) }),
    writes: [['candidate_document', 'create']],
    refused: (f) => ({ candidateId: f.candidate.id, fileId: 'no-such-file' }),
  },
  'candidates.removeDocument': {
    call: async (f) => {
      const added = await f.rt.call<{ id: string }>('candidates.addDocument', { candidateId: f.candidate.id, fileId: await cv(f.rt) });
      return f.rt.call('candidates.removeDocument', { id: added.id });
    },
    writes: [['candidate_document', 'create'], ['candidate_document', 'delete']],
    refused: () => ({ id: 'no-such-document' }),
  },
  'stages.create': {
    call: (f) => f.rt.call('stages.create', { name: 'Technical test' }),
    // The new stage goes before the offer, which moves one place down.
    writes: [['pipeline_stage', 'create'], ['pipeline_stage', 'update']],
    refused: () => ({ name: 'screening' }),
  },
  'stages.update': {
    call: (f) => f.rt.call('stages.update', { id: 'stage-screening', name: 'Phone screen', active: true }),
    writes: [['pipeline_stage', 'update']],
    refused: () => ({ id: 'stage-placed', name: 'Placed', active: false }),
  },
  'stages.reorder': {
    call: (f) => f.rt.call('stages.reorder', { ids: ['stage-offer', 'stage-client_interview', 'stage-screening', 'stage-applied'] }),
    writes: [['pipeline_stage', 'update'], ['pipeline_stage', 'update'], ['pipeline_stage', 'update'], ['pipeline_stage', 'update']],
    refused: () => ({ ids: ['stage-placed'] }),
  },
  'applications.create': {
    call: async (f) => {
      const other = await f.rt.call<{ id: string }>('candidates.create', { fullName: 'Pablo Ortega' });
      return f.rt.call('applications.create', { candidateId: other.id, jobId: f.job.id });
    },
    writes: [['candidate', 'create'], ['application', 'create']],
    refused: (f) => ({ candidateId: f.candidate.id, jobId: f.job.id }),
  },
  'applications.move': {
    call: (f) => placeApplication(f),
    // Placed: the placement, and the posting's only opening taken (it is filled).
    writes: [['application', 'update'], ['placement', 'create'], ['job', 'update']],
    refused: (f) => ({ id: f.application.id, version: f.application.version, stageId: 'stage-placed' }),
  },
  'applications.remove': {
    call: (f) => f.rt.call('applications.remove', f.application),
    writes: [['application', 'delete']],
    refused: (f) => ({ id: f.application.id, version: f.application.version + 1 }),
  },
  'placements.recordDeparture': {
    call: async (f) => {
      const placed = await placeApplication(f);
      return f.rt.call('placements.recordDeparture', { id: placed.placement.id, version: placed.placement.version, leftOn: '2027-01-15' });
    },
    // Left inside the 90-day guarantee with a refund: the opening comes back and the posting reopens.
    writes: [['application', 'update'], ['placement', 'create'], ['job', 'update'], ['placement', 'update'], ['job', 'update']],
    refused: () => ({ id: 'no-such-placement', version: 1, leftOn: '2027-01-15' }),
  },
  'users.create': { call: (f) => f.rt.call('users.create', { name: 'Nuevo Miembro' }), writes: [['user', 'create']], refused: () => ({ name: '' }) },
  'users.update': { call: (f) => f.rt.call('users.update', { id: f.userId, name: 'Renamed', email: null, active: true }), writes: [['user', 'update']], refused: (f) => ({ id: f.userId, name: '', active: true }) },
  'clients.create': {
    call: (f) => f.rt.call('clients.create', { companyName: 'Nueva Empresa', email: 'info@nueva.es', areaId: f.areaId }),
    writes: [['client', 'create']],
    refused: (f) => ({ companyName: 'Acme Talent', email: 'other@acme.es', areaId: f.areaId }),
  },
  'clients.update': {
    call: (f) => f.rt.call('clients.update', { id: f.client.id, version: f.client.version, companyName: 'Acme Talent', email: 'info@acme.es', areaId: f.areaId, phone: '912 345 678' }),
    writes: [['client', 'update']],
    refused: (f) => ({ id: f.client.id, version: f.client.version + 5, companyName: 'Acme Talent', email: 'info@acme.es', areaId: f.areaId }),
  },
  'clients.archive': { call: (f) => f.rt.call('clients.archive', { id: f.client.id, version: f.client.version }), writes: [['client', 'delete']], refused: (f) => ({ id: f.client.id, version: 99 }) },
  'clients.restore': {
    call: async (f) => {
      const archived = await f.rt.call<{ version: number }>('clients.archive', { id: f.client.id, version: f.client.version });
      return f.rt.call('clients.restore', { id: f.client.id, version: archived.version });
    },
    writes: [['client', 'delete'], ['client', 'restore']],
    refused: () => ({ id: 'no-such-client', version: 1 }),
  },
  'contacts.create': {
    call: (f) => f.rt.call('contacts.create', { clientId: f.client.id, name: 'Luis Pérez', email: 'luis@acme.es', isPrimary: true }),
    // The new primary contact demotes the old one: two records change.
    writes: [['contact', 'create'], ['contact', 'update'], ['contact', 'update']],
    refused: (f) => ({ clientId: f.client.id, name: 'Ana García', email: 'ana@acme.es' }),
  },
  'contacts.update': {
    call: (f) => f.rt.call('contacts.update', { id: f.contact.id, version: f.contact.version, name: 'Ana García', email: 'ana@acme.es', role: 'CEO', isPrimary: true }),
    writes: [['contact', 'update']],
    refused: (f) => ({ id: f.contact.id, version: f.contact.version + 1, name: 'Ana García' }),
  },
  'contacts.delete': { call: (f) => f.rt.call('contacts.delete', { id: f.contact.id }), writes: [['contact', 'delete']], refused: () => ({ id: 'no-such-contact' }) },
  'events.create': {
    call: (f) => f.rt.call('events.create', { clientId: f.client.id, type: 'call', title: 'Call', occurredAt: at, ownerIds: [f.userId], attachments: [doc('notes.txt')] }),
    writes: [['event', 'create'], ['event_owner', 'create'], ['attachment', 'create']],
    refused: (f) => ({ clientId: f.client.id, type: 'call', title: 'Call', occurredAt: at, ownerIds: ['no-such-user'] }),
  },
  'events.update': {
    call: (f) => f.rt.call('events.update', { id: f.event.id, version: f.event.version, type: 'meeting', title: 'Renamed', occurredAt: f.event.occurredAt, ownerIds: [], attachments: [doc('more.txt')] }),
    // The title changes, the owner goes, a document comes.
    writes: [['event', 'update'], ['event_owner', 'delete'], ['attachment', 'create']],
    refused: (f) => ({ id: f.event.id, version: f.event.version + 3, type: 'meeting', title: 'Stale', occurredAt: f.event.occurredAt }),
  },
  'events.delete': { call: (f) => f.rt.call('events.delete', { id: f.event.id }), writes: [['event', 'delete']], refused: () => ({ id: 'no-such-event' }) },
  'events.restore': {
    call: async (f) => {
      await f.rt.call('events.delete', { id: f.event.id });
      return f.rt.call('events.restore', { id: f.event.id });
    },
    writes: [['event', 'delete'], ['event', 'restore']],
    refused: () => ({ id: 'no-such-event' }),
  },
  'jobs.create': { call: (f) => f.rt.call('jobs.create', { clientId: f.client.id, title: 'Analyst' }), writes: [['job', 'create']], refused: (f) => ({ clientId: f.client.id, title: '' }) },
  'jobs.update': {
    call: (f) => f.rt.call('jobs.update', { ...jobFields(f.job), id: f.job.id, version: f.job.version, title: 'Senior Engineer' }),
    writes: [['job', 'update']],
    refused: (f) => ({ ...jobFields(f.job), id: f.job.id, version: f.job.version, status: 'draft' }),
  },
  'jobs.duplicate': { call: (f) => f.rt.call('jobs.duplicate', { id: f.job.id }), writes: [['job', 'create']], refused: () => ({ id: 'no-such-job' }) },
  'jobs.delete': { call: (f) => f.rt.call('jobs.delete', { id: f.job.id }), writes: [['job', 'delete']], refused: () => ({ id: 'no-such-job' }) },
  'leads.create': { call: (f) => f.rt.call('leads.create', { companyName: 'Northwind' }), writes: [['lead', 'create']], refused: () => ({ companyName: ' ' }) },
  'leads.update': {
    call: (f) => f.rt.call('leads.update', { id: f.lead.id, version: f.lead.version, companyName: 'Contoso Group', email: 'sales@contoso.com', areaId: f.areaId, stage: 'qualified' }),
    writes: [['lead', 'update']],
    refused: (f) => ({ id: f.lead.id, version: f.lead.version + 1, companyName: 'Contoso Group', stage: 'qualified' }),
  },
  'leads.recordEvent': {
    call: (f) => leadEvent(f, 'won_deal'),
    // The won deal on the lead; the new client with its contact and its own won-deal event; the lead linked to it.
    writes: [['event', 'create'], ['client', 'create'], ['contact', 'create'], ['event', 'create'], ['lead', 'update']],
    refused: (f) => ({ leadId: f.lead.id, type: 'lost_deal', title: 'Lost', occurredAt: at }),
  },
  'leads.resolveReview': {
    call: async (f) => {
      // A lead that only looks like an existing client waits for review; linking it resolves it.
      const lead = await f.rt.call<{ id: string }>('leads.create', { companyName: 'Acme Talent Group', email: 'hello@acmetalentgroup.es', areaId: f.areaId });
      await f.rt.call('leads.recordEvent', { leadId: lead.id, type: 'won_deal', title: 'Won', occurredAt: at });
      return f.rt.call('leads.resolveReview', { leadId: lead.id, action: 'link', clientId: f.client.id });
    },
    // The lead, its won deal, its review state; then linked: the lead, the client's origin, the client's won deal.
    writes: [['lead', 'create'], ['event', 'create'], ['lead', 'update'], ['lead', 'update'], ['client', 'update'], ['event', 'create']],
    refused: (f) => ({ leadId: f.lead.id, action: 'link', clientId: null }),
  },
  'imports.start': {
    call: async (f) => {
      const fileId = await upload(f.rt, 'clients.csv', csvFile([['Company', 'Email', 'Area', 'Contact'], ['Globex', 'info@globex.com', 'Technology', 'Hank Scorpio']]));
      return runTaskOk(f.rt, 'imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'contactName'] }, 'import');
    },
    writes: [['client', 'create'], ['contact', 'create']],
    refused: () => ({ fileId: 'no-such-file', target: 'clients', mapping: ['companyName', 'email'] }),
  },
  'imports.restore': {
    call: async (f) => {
      const other = await testRuntime();
      try {
        const area = (await other.call<{ id: string }[]>('areas.list'))[0]!.id;
        const client = await other.call<{ id: string }>('clients.create', { companyName: 'Initech', email: 'info@initech.com', areaId: area });
        await other.call('contacts.create', { clientId: client.id, name: 'Bill Lumbergh' });
        // A candidate who applied to its posting travels in the client's dossier (candidates.jsonl).
        const job = await other.call<{ id: string }>('jobs.create', { clientId: client.id, title: 'Analyst', status: 'open' });
        const candidate = await other.call<{ id: string }>('candidates.create', { fullName: 'Milton Waddams', email: 'milton@initech.com' });
        await other.call('applications.create', { candidateId: candidate.id, jobId: job.id });
        const backup = await runTaskOk(other, 'exports.dossier', { clientId: client.id }, 'dossier');
        const fileId = await upload(f.rt, 'backup.zip', await download(other, backup.file.fileId));
        return runTaskOk(f.rt, 'imports.restore', { fileId }, 'restore');
      } finally {
        await other.dispose();
      }
    },
    writes: [['client', 'create'], ['contact', 'create'], ['job', 'create'], ['candidate', 'create'], ['application', 'create']],
    refused: () => ({ fileId: 'no-such-file' }),
  },
};

function jobFields(job: Record<string, unknown>) {
  const { id: _i, clientId: _c, clientName: _n, code: _code, ownerName: _o, forecast: _f, createdAt: _ca, updatedAt: _u, version: _v, ...fields } = job;
  return fields;
}

let f: Fixture;
beforeEach(async () => {
  const rt = await testRuntime();
  const areaId = (await rt.call<{ id: string }[]>('areas.list'))[0]!.id;
  const user = await rt.call<{ id: string }>('users.create', { name: 'Ana Owner' });
  const client = await rt.call<{ id: string; version: number }>('clients.create', { companyName: 'Acme Talent', email: 'info@acme.es', areaId });
  const contact = await rt.call<{ id: string; version: number }>('contacts.create', { clientId: client.id, name: 'Ana García', email: 'ana@acme.es' });
  const event = await rt.call<{ id: string; version: number; occurredAt: string }>('events.create', { clientId: client.id, type: 'meeting', title: 'Kick-off', occurredAt: at, ownerIds: [user.id] });
  const job = await rt.call<Record<string, unknown> & { id: string; version: number }>('jobs.create', {
    clientId: client.id, title: 'Engineer', status: 'open', feeType: 'percentage', feePercent: 20, guaranteeDays: 90, guaranteePolicy: 'refund',
  });
  const lead = await rt.call<{ id: string; version: number }>('leads.create', { companyName: 'Contoso', contactName: 'Carla Ortiz', email: 'sales@contoso.com', areaId });
  const candidate = await rt.call<{ id: string; version: number }>('candidates.create', { fullName: 'Marta Ruiz', email: 'marta@mail.example' });
  const application = await rt.call<{ id: string; version: number }>('applications.create', { candidateId: candidate.id, jobId: job.id });
  f = { rt, areaId, userId: user.id, client, contact, event, job, lead, candidate: { id: candidate.id, version: candidate.version }, application: { id: application.id, version: application.version } };
});
afterEach(async () => {
  await f.rt.dispose();
});

const newRows = (rt: Rt, after: number) => rt.db.selectFrom('change_log').selectAll().where('seq', '>', after).orderBy('seq').execute();
const lastSeq = async (rt: Rt) => Number((await rt.db.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirstOrThrow()).n ?? 0);
const sorted = (log: Log) => log.map((e) => e.join(' ')).sort();

describe('every mutating channel writes its change log', () => {
  it('lists every channel of the contract exactly once', () => {
    const listed = [...withoutSyncedWrites, ...replacesDatabase, ...Object.keys(cases)];
    expect(listed.filter((c, i) => listed.indexOf(c) !== i)).toEqual([]);
    expect(channelNames.filter((c) => !listed.includes(c))).toEqual([]);
  });

  it.each(Object.keys(cases) as ChannelName[])('%s logs each record it writes, with this device’s next sequence numbers', async (channel) => {
    const spec = cases[channel]!;
    const before = await lastSeq(f.rt);
    const clock = await f.rt.db.selectFrom('sync_clock').selectAll().executeTakeFirstOrThrow();
    await spec.call(f);
    const all = await newRows(f.rt, before);
    // A restore also keeps the backup's own history: entries of another device, never pushed from here.
    expect(all.filter((r) => r.device_seq === null).every((r) => r.device_id !== f.rt.ctx.deviceId)).toBe(true);
    const rows = all.filter((r) => r.device_seq !== null);
    const expected = typeof spec.writes === 'function' ? spec.writes(f) : spec.writes;
    expect(sorted(rows.map((r) => [r.entity, r.operation]))).toEqual(sorted(expected));
    // Dense and in order: exactly the sequence numbers after the last one, each with a later clock stamp.
    expect(rows.map((r) => r.device_seq)).toEqual(rows.map((_, i) => clock.last_seq + i + 1));
    expect(rows.every((r, i) => i === 0 || r.hlc > rows[i - 1]!.hlc)).toBe(true);
    expect(rows.every((r) => r.device_id === f.rt.ctx.deviceId && r.pushed_at === null)).toBe(true);
    expect(f.rt.errors).toEqual([]);
  });

  it.each(Object.keys(cases) as ChannelName[])('%s refused writes nothing', async (channel) => {
    const spec = cases[channel]!;
    const before = await lastSeq(f.rt);
    const tables = await syncedTables(f.rt.db);
    const answer = await f.rt.dispatch(channel, spec.refused(f));
    // A task channel may start and then fail: it must still write nothing.
    if (answer.ok && typeof answer.data === 'object' && answer.data && 'taskId' in answer.data) {
      const task = await f.rt.ctx.tasks.settled((answer.data as { taskId: string }).taskId);
      expect(task.state).toBe('failed');
    } else expect(answer.ok).toBe(false);
    expect(await newRows(f.rt, before)).toEqual([]);
    expect(await syncedTables(f.rt.db)).toEqual(tables);
  });
});
