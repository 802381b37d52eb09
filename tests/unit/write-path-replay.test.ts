import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../contract';
import { replayInto, replayPagesInto, syncedTables } from '../support/replay';
import { testRuntime } from '../support/runtime';
import { csvFile, download, runTaskOk, upload } from '../support/transfer';

// Replay = the database. Random sequences of every mutating channel (creates, edits, removals and restores,
// archive, primary-contact switches, event owners and documents, lead conversions, imports of clients and of
// contacts, restores of a backup, merges of clients and of contacts and their undo, "Not a duplicate") run against a real database; then every change in its log, applied in order
// to an empty database with the one applyChange the sync job uses, must give the same synced tables row for
// row (derived columns included: search text, keys, last activity, versions). `PROOF_RUNS` sets how many
// sequences (the proofs script runs many more than `npm test`).

type Rt = Awaited<ReturnType<typeof testRuntime>>;
// 40 sequences in npm test, 300 in npm run proofs (PROOFS=long); PROOF_RUNS sets another count.
const runs = Number(process.env.PROOF_RUNS ?? (process.env.PROOFS === 'long' ? 300 : 40));

const companies = ['Acme', 'Acme S.L.', 'Telefónica', 'Zara España', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises'];
const people = ['Ana García', 'Luis Pérez', 'María López', 'John Smith', 'Emma Brown'];

const op = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('clientCreate' as const), name: fc.nat(9), domain: fc.nat(12) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('clientUpdate' as const), pick: fc.nat(), field: fc.nat(4), value: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('clientArchive' as const), pick: fc.nat(), archive: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('contactCreate' as const), pick: fc.nat(), name: fc.nat(4), primary: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('contactUpdate' as const), pick: fc.nat(), primary: fc.boolean(), role: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('contactDelete' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('eventCreate' as const), pick: fc.nat(), owners: fc.nat(7), doc: fc.boolean(), day: fc.nat(27) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('eventUpdate' as const), pick: fc.nat(), owners: fc.nat(7), removeDoc: fc.boolean(), addDoc: fc.boolean(), day: fc.nat(27) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('eventRemove' as const), pick: fc.nat(), restore: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('jobCreate' as const), pick: fc.nat(), open: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('jobUpdate' as const), pick: fc.nat(), status: fc.constantFrom('draft', 'open', 'on_hold', 'filled', 'cancelled'), title: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('jobDuplicate' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('jobDelete' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('leadCreate' as const), name: fc.nat(9), complete: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leadUpdate' as const), pick: fc.nat(), stage: fc.constantFrom('new', 'contacted', 'qualified') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('leadEvent' as const), pick: fc.nat(), type: fc.constantFrom('won_deal', 'lost_deal', 'call') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leadReview' as const), pick: fc.nat(), link: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('userCreate' as const), name: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('userToggle' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('importClients' as const), from: fc.nat(9), mode: fc.constantFrom('skip', 'update', 'create') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('importContacts' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restoreBackup' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('candidateCreate' as const), name: fc.nat(4), email: fc.nat(6), company: fc.nat(3), phone: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('candidateUpdate' as const), pick: fc.nat(), value: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('candidateRemove' as const), pick: fc.nat(), restore: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('candidateDocument' as const), pick: fc.nat(), remove: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('apply' as const), candidate: fc.nat(), job: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), stage: fc.constantFrom('stage-screening', 'stage-offer', 'stage-placed', 'stage-placed', 'stage-rejected'), day: fc.nat(27) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('applicationRemove' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('departure' as const), pick: fc.nat(), day: fc.nat(200), clear: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stageEdit' as const), name: fc.nat(3), retire: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('importCandidates' as const), from: fc.nat(4), mode: fc.constantFrom('skip', 'update') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('merge' as const), survivor: fc.nat(), merged: fc.nat(), take: fc.subarray(['companyName', 'email', 'phone', 'website', 'status', 'comments']) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mergeUndo' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('contactMerge' as const), pick: fc.nat(), take: fc.subarray(['name', 'email', 'role']) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dismiss' as const), pick: fc.nat(), dismissed: fc.boolean() }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

let backup: Buffer;
const dirs: string[] = [];

beforeAll(async () => {
  // A backup made on another device: two clients with a contact, an event with an owner and a document, a posting;
  // a candidate with a CV placed on the first posting, another in screening on the second.
  const other = await testRuntime();
  try {
    const areaId = (await other.call<{ id: string }[]>('areas.list'))[0]!.id;
    const user = await other.call<{ id: string }>('users.create', { name: 'Marta Ruiz', email: 'marta@agency.example' });
    const jobs: string[] = [];
    for (const name of ['Backup Uno', 'Backup Dos']) {
      const client = await other.call<{ id: string }>('clients.create', { companyName: name, email: `info@${name.replace(' ', '').toLowerCase()}.es`, areaId });
      await other.call('contacts.create', { clientId: client.id, name: 'Pilar Núñez', email: `pilar@${name.replace(' ', '').toLowerCase()}.es` });
      await other.call('events.create', { clientId: client.id, type: 'meeting', title: 'Kick-off', occurredAt: '2026-10-01T09:00:00.000Z', ownerIds: [user.id], attachments: [{ fileName: 'brief.pdf', mimeType: 'application/pdf', contentBase64: Buffer.from(name).toString('base64') }] });
      jobs.push((await other.call<{ id: string }>('jobs.create', { clientId: client.id, title: 'Analyst', status: 'open', feeType: 'percentage', feePercent: 20 })).id);
    }
    for (const [i, fullName] of ['Íñigo Backup', 'Rosa Backup'].entries()) {
      const candidate = await other.call<{ id: string }>('candidates.create', { fullName, email: `backup${i}@mail.example`, tags: ['sql'] });
      await other.call('candidates.addDocument', { candidateId: candidate.id, fileId: await upload(other, 'cv.pdf', Buffer.from(`%PDF ${fullName}`)) });
      const application = await other.call<{ id: string; version: number }>('applications.create', { candidateId: candidate.id, jobId: jobs[i]! });
      const placement = { startDate: '2026-11-01', salaryMinor: 3_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year' };
      await other.call('applications.move', { id: application.id, version: application.version, stageId: i ? 'stage-screening' : 'stage-placed', ...(i ? {} : { placement }) });
    }
    const result = await runTaskOk(other, 'exports.dossier', { clientId: null }, 'dossier');
    backup = await download(other, result.file.fileId);
  } finally {
    await other.dispose();
  }
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function ids(rt: Rt, table: 'clients' | 'client_contacts' | 'events' | 'jobs' | 'leads' | 'users', live = true) {
  let query = rt.db.selectFrom(table).select('id');
  if (live && table !== 'users') query = query.where(table === 'clients' ? 'archived_at' : 'deleted_at', 'is', null);
  return (await query.orderBy('id').execute()).map((r) => r.id);
}
const pick = <T,>(list: T[], n: number) => (list.length ? list[n % list.length]! : undefined);
const answers = { ok: 0, refused: 0 };
const ok = async <T,>(result: Promise<Result<T>>) => {
  const answer = await result;
  answers[answer.ok ? 'ok' : 'refused']++;
  return answer.ok ? answer.data : null;
};

/** Runs one operation; refusals (duplicates, stale versions, invalid transitions) are part of the game. */
async function run(rt: Rt, areaId: string, o: Op, stats: Record<string, number>) {
  const call = (channel: string, input: unknown) => ok(rt.dispatch(channel, input));
  const get = async <T,>(channel: string, input: unknown) => (await call(channel, input)) as T | null;
  stats[o.kind] = (stats[o.kind] ?? 0) + 1;
  switch (o.kind) {
    case 'clientCreate': {
      const input = { companyName: companies[o.name]!, email: `info@d${o.domain}.example`, areaId, website: o.domain % 3 ? `www.d${o.domain}.example` : null };
      const first = await rt.dispatch('clients.create', input);
      // A look-alike warning is acknowledged, as the recruiter would after reading it.
      if (!first.ok && first.error.code === 'DUPLICATE' && !first.error.matches?.some((m) => m.reasons.includes('email') || m.reasons.includes('name'))) {
        await call('clients.create', { ...input, acknowledgedDuplicateIds: first.error.matches?.map((m) => m.id) ?? [] });
      }
      return;
    }
    case 'clientUpdate': {
      const id = pick(await ids(rt, 'clients'), o.pick);
      const current = id && (await get<{ client: Record<string, unknown> }>('clients.get', { id }))?.client;
      if (!current) return;
      const change = [{ phone: `+34 91 234 56 ${String(o.value).padStart(2, '0')}` }, { comments: `Note ${o.value}` }, { status: ['active', 'paused', 'inactive'][o.value % 3] }, { website: `www.site${o.value}.example` }, { defaultFeePercent: o.value }][o.field];
      await call('clients.update', { ...current, ...change, id, version: current.version, acknowledgedDuplicateIds: [] });
      return;
    }
    case 'clientArchive': {
      const id = pick(await ids(rt, 'clients', false), o.pick);
      const current = id && (await get<{ client: { version: number } }>('clients.get', { id }))?.client;
      if (current) await call(o.archive ? 'clients.archive' : 'clients.restore', { id, version: current.version });
      return;
    }
    case 'contactCreate': {
      const clientId = pick(await ids(rt, 'clients'), o.pick);
      if (clientId) await call('contacts.create', { clientId, name: people[o.name]!, email: `${o.name}@people.example`, isPrimary: o.primary });
      return;
    }
    case 'contactUpdate': {
      const id = pick(await ids(rt, 'client_contacts'), o.pick);
      const row = id && (await rt.db.selectFrom('client_contacts').selectAll().where('id', '=', id).executeTakeFirst());
      if (row) await call('contacts.update', { id, version: row.version, name: row.name, email: row.email, role: ['HR', 'CEO', 'CTO', null][o.role], isPrimary: o.primary, notes: row.notes, phone: row.phone });
      return;
    }
    case 'contactDelete': {
      const id = pick(await ids(rt, 'client_contacts'), o.pick);
      if (id) await call('contacts.delete', { id });
      return;
    }
    case 'eventCreate': {
      const clientId = pick(await ids(rt, 'clients'), o.pick);
      const users = await ids(rt, 'users');
      if (!clientId) return;
      const ownerIds = users.filter((_, i) => o.owners & (1 << i));
      const attachments = o.doc ? [{ fileName: `doc${o.day}.pdf`, mimeType: 'application/pdf', contentBase64: Buffer.from(`doc ${o.day}`).toString('base64') }] : [];
      await call('events.create', { clientId, type: 'meeting', title: `Meeting ${o.day}`, occurredAt: `2026-11-${String(o.day + 1).padStart(2, '0')}T10:00:00.000Z`, ownerIds, attachments });
      return;
    }
    case 'eventUpdate': {
      const id = pick(await ids(rt, 'events'), o.pick);
      const row = id && (await rt.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst());
      if (!row) return;
      const docs = await rt.db.selectFrom('attachments').select('id').where('event_id', '=', row.id).where('deleted_at', 'is', null).execute();
      const users = await ids(rt, 'users');
      await call('events.update', {
        id: row.id, version: row.version, type: 'call', title: `Call ${o.day}`, occurredAt: `2026-11-${String(o.day + 1).padStart(2, '0')}T11:00:00.000Z`,
        ownerIds: users.filter((_, i) => o.owners & (1 << i)),
        removeAttachmentIds: o.removeDoc ? docs.slice(0, 1).map((d) => d.id) : [],
        attachments: o.addDoc ? [{ fileName: `extra${o.day}.txt`, mimeType: 'text/plain', contentBase64: Buffer.from(`extra ${o.day}`).toString('base64') }] : [],
      });
      return;
    }
    case 'eventRemove': {
      const id = pick(await ids(rt, 'events', false), o.pick);
      if (id) await call(o.restore ? 'events.restore' : 'events.delete', { id });
      return;
    }
    case 'jobCreate': {
      const clientId = pick(await ids(rt, 'clients'), o.pick);
      if (clientId) await call('jobs.create', { clientId, title: 'Backend Engineer', status: o.open ? 'open' : 'draft', salaryMinMinor: 4_000_000, salaryMaxMinor: 5_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year', feeType: 'percentage', feePercent: 20, probability: 50, guaranteeDays: 90, guaranteePolicy: o.open ? 'refund' : 'replacement', proRataDays: o.open ? 90 : null, openings: 2 });
      return;
    }
    case 'jobUpdate': {
      const id = pick(await ids(rt, 'jobs'), o.pick);
      const job = id && (await get<Record<string, unknown>>('jobs.get', { id }));
      if (!job) return;
      const { id: _i, clientId: _c, clientName: _n, code: _code, ownerName: _o, forecast: _f, createdAt: _ca, updatedAt: _u, ...fields } = job;
      await call('jobs.update', { ...fields, id, status: o.status, title: ['Engineer', 'Analyst', 'Manager', 'Designer'][o.title], closeReason: o.status === 'filled' || o.status === 'cancelled' ? 'Done' : null });
      return;
    }
    case 'jobDuplicate':
    case 'jobDelete': {
      const id = pick(await ids(rt, 'jobs'), o.pick);
      if (id) await call(o.kind === 'jobDuplicate' ? 'jobs.duplicate' : 'jobs.delete', { id });
      return;
    }
    case 'leadCreate':
      await call('leads.create', { companyName: companies[o.name]!, contactName: 'Carla Ortiz', email: o.complete ? `sales@lead${o.name}.example` : null, areaId: o.complete ? areaId : null, phone: '612 345 678' });
      return;
    case 'leadUpdate': {
      const id = pick(await ids(rt, 'leads'), o.pick);
      const lead = id && (await get<Record<string, unknown>>('leads.get', { id }));
      if (lead) await call('leads.update', { id, version: lead.version, companyName: lead.companyName, contactName: lead.contactName, email: lead.email, phone: lead.phone, areaId: lead.areaId, source: 'Referral', ownerId: lead.ownerId, stage: o.stage });
      return;
    }
    case 'leadEvent': {
      const leadId = pick(await ids(rt, 'leads'), o.pick);
      if (leadId) await call('leads.recordEvent', { leadId, type: o.type, title: o.type, occurredAt: '2026-11-20T10:00:00.000Z', lostReason: o.type === 'lost_deal' ? 'Budget' : null });
      return;
    }
    case 'leadReview': {
      const lead = (await rt.db.selectFrom('leads').select('id').where('review_candidates', 'is not', null).execute())[o.pick % 3];
      const clientId = pick(await ids(rt, 'clients'), o.pick);
      if (lead) await call('leads.resolveReview', { leadId: lead.id, action: o.link && clientId ? 'link' : 'create', clientId: o.link ? clientId : null });
      return;
    }
    case 'userCreate':
      await call('users.create', { name: `${people[o.name]} ${o.name}`, email: null });
      return;
    case 'userToggle': {
      const users = await rt.db.selectFrom('users').selectAll().orderBy('id').execute();
      const user = pick(users, o.pick);
      if (user) await call('users.update', { id: user.id, name: user.name, email: user.email, active: user.active !== 1 });
      return;
    }
    case 'importClients': {
      const rows = [['Company', 'Email', 'Area', 'Phone', 'Contact', 'Contact email']];
      for (let i = 0; i < 3; i++) rows.push([companies[(o.from + i) % companies.length]!, `hello@imp${(o.from + i) % 12}.example`, 'Technology', '912 345 678', people[i]!, `${i}@imp.example`]);
      const fileId = await upload(rt, 'clients.csv', csvFile(rows));
      await runTaskOk(rt, 'imports.start', { fileId, target: 'clients', mapping: ['companyName', 'email', 'area', 'phone', 'contactName', 'contactEmail'], duplicateMode: o.mode }, 'import');
      return;
    }
    case 'importContacts': {
      const clients = await rt.db.selectFrom('clients').select('code').where('archived_at', 'is', null).orderBy('id').execute();
      const client = pick(clients, o.pick);
      if (!client) return;
      const fileId = await upload(rt, 'contacts.csv', csvFile([['Client', 'Name', 'Email', 'Primary'], [client.code, 'Imported Person', 'imported@people.example', 'yes'], [client.code, 'Second Person', '', '']]));
      await runTaskOk(rt, 'imports.start', { fileId, target: 'contacts', mapping: ['client', 'name', 'email', 'isPrimary'], duplicateMode: 'update' }, 'import');
      return;
    }
    case 'candidateCreate': {
      const input = {
        fullName: people[o.name]!, email: o.email < 4 ? `p${o.email}@mail.example` : null, currentCompany: ['Acme', 'Globex', 'Initech', null][o.company], phone: o.phone ? '612 345 678' : null, tags: ['python', 'sql'].slice(0, o.email % 3),
      };
      const first = await rt.dispatch('candidates.create', input);
      // A look-alike warning is acknowledged, as the recruiter would after reading it; the same email is refused.
      if (!first.ok && first.error.code === 'DUPLICATE' && first.error.reason === 'possible_duplicate_person') {
        await call('candidates.create', { ...input, acknowledgedDuplicateIds: first.error.matches?.map((m) => m.id) ?? [] });
      } else answers[first.ok ? 'ok' : 'refused']++;
      return;
    }
    case 'candidateUpdate': {
      const row = pick(await rt.db.selectFrom('candidates').selectAll().where('deleted_at', 'is', null).orderBy('id').execute(), o.pick);
      if (row) await call('candidates.update', { id: row.id, version: row.version, fullName: row.full_name, email: row.email, location: ['Madrid', 'Sevilla', 'Bilbao'][o.value % 3], tags: [`t${o.value}`], acknowledgedDuplicateIds: [] });
      return;
    }
    case 'candidateRemove': {
      const row = pick(await rt.db.selectFrom('candidates').selectAll().orderBy('id').execute(), o.pick);
      if (row) await call(o.restore ? 'candidates.restore' : 'candidates.delete', { id: row.id, version: row.version });
      return;
    }
    case 'candidateDocument': {
      if (o.remove) {
        const doc = pick(await rt.db.selectFrom('candidate_documents').select('id').where('deleted_at', 'is', null).orderBy('id').execute(), o.pick);
        if (doc) await call('candidates.removeDocument', { id: doc.id });
        return;
      }
      const row = pick(await rt.db.selectFrom('candidates').select('id').where('deleted_at', 'is', null).orderBy('id').execute(), o.pick);
      if (row) await call('candidates.addDocument', { candidateId: row.id, fileId: await upload(rt, `cv${o.pick % 3}.pdf`, `cv ${o.pick % 3}`) });
      return;
    }
    case 'apply': {
      const candidate = pick(await rt.db.selectFrom('candidates').select('id').where('deleted_at', 'is', null).orderBy('id').execute(), o.candidate);
      const jobId = pick(await ids(rt, 'jobs'), o.job);
      if (candidate && jobId) await call('applications.create', { candidateId: candidate.id, jobId });
      return;
    }
    case 'move': {
      const app = pick(await rt.db.selectFrom('applications').selectAll().where('deleted_at', 'is', null).orderBy('id').execute(), o.pick);
      const placement = { startDate: `2026-10-${String(o.day + 1).padStart(2, '0')}`, salaryMinor: 3_000_000 + o.day * 10_000, salaryCurrency: 'EUR', salaryPeriod: 'year' };
      if (app) await call('applications.move', { id: app.id, version: app.version, stageId: o.stage, placement: o.stage === 'stage-placed' ? placement : null });
      return;
    }
    case 'applicationRemove': {
      const app = pick(await rt.db.selectFrom('applications').selectAll().where('deleted_at', 'is', null).orderBy('id').execute(), o.pick);
      if (app) await call('applications.remove', { id: app.id, version: app.version });
      return;
    }
    case 'departure': {
      const placement = pick(await rt.db.selectFrom('placements').selectAll().where('deleted_at', 'is', null).orderBy('id').execute(), o.pick);
      if (placement) await call('placements.recordDeparture', { id: placement.id, version: placement.version, leftOn: o.clear ? null : new Date(Date.parse('2026-10-01T00:00:00Z') + o.day * 86_400_000).toISOString().slice(0, 10) });
      return;
    }
    case 'stageEdit':
      if (o.retire) await call('stages.update', { id: 'stage-screening', name: ['Screening', 'Phone screen', 'Call', 'Review'][o.name], active: o.name % 2 === 0 });
      else await call('stages.create', { name: `Step ${o.name}` });
      return;
    case 'importCandidates': {
      const rows = [['Name', 'Email', 'Company', 'Tags']];
      for (let i = 0; i < 3; i++) rows.push([people[(o.from + i) % people.length]!, `p${(o.from + i) % 6}@mail.example`, ['Acme', 'Globex', ''][i]!, 'python; sql']);
      const fileId = await upload(rt, 'candidates.csv', csvFile(rows));
      await runTaskOk(rt, 'imports.start', { fileId, target: 'candidates', mapping: ['fullName', 'email', 'currentCompany', 'tags'], duplicateMode: o.mode }, 'import');
      return;
    }
    case 'merge': {
      const live = await ids(rt, 'clients');
      const survivor = pick(live, o.survivor);
      const merged = pick(live.filter((id) => id !== survivor), o.merged);
      if (!survivor || !merged) return;
      const version = async (id: string) => (await get<{ client: { version: number } }>('clients.get', { id }))?.client.version ?? 0;
      await call('clients.merge', { survivorId: survivor, mergedId: merged, survivorVersion: await version(survivor), mergedVersion: await version(merged), takeFromMerged: o.take });
      return;
    }
    case 'mergeUndo': {
      const merge = pick(await rt.db.selectFrom('merges').select('id').orderBy('id').execute(), o.pick);
      if (merge) await call('merges.undo', { mergeId: merge.id });
      return;
    }
    case 'contactMerge': {
      const clientId = pick(await ids(rt, 'clients'), o.pick);
      const contacts = clientId ? await rt.db.selectFrom('client_contacts').selectAll().where('client_id', '=', clientId).where('deleted_at', 'is', null).orderBy('id').execute() : [];
      const [a, b] = [contacts[o.pick % Math.max(1, contacts.length)], contacts[(o.pick + 1) % Math.max(1, contacts.length)]];
      if (a && b && a.id !== b.id) await call('contacts.merge', { survivorId: a.id, mergedId: b.id, survivorVersion: a.version, mergedVersion: b.version, takeFromMerged: o.take });
      return;
    }
    case 'dismiss': {
      const live = await ids(rt, 'clients');
      const [a, b] = [pick(live, o.pick), pick(live, o.pick + 1)];
      if (a && b && a !== b) await call('duplicates.setDismissed', { firstId: a, secondId: b, dismissed: o.dismissed });
      return;
    }
    case 'restoreBackup': {
      const fileId = await upload(rt, 'backup.zip', backup);
      await runTaskOk(rt, 'imports.restore', { fileId }, 'restore');
      return;
    }
  }
}

describe('one write path', () => {
  it('replaying every change of the log on an empty database rebuilds every synced table, change by change and page by page as a pull applies it', async () => {
    const stats: Record<string, number> = {};
    let sequences = 0;
    let changes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), async (ops) => {
        const rt = await testRuntime();
        dirs.push(rt.dir);
        try {
          const areaId = (await rt.call<{ id: string }[]>('areas.list'))[0]!.id;
          for (const o of ops) await run(rt, areaId, o, stats);
          const expected = await syncedTables(rt.db);
          const replayed = await replayInto(rt.db, path.join(rt.dir, 'replayed.sqlite'));
          try {
            expect(await syncedTables(replayed.db)).toEqual(expected);
          } finally {
            await replayed.close();
          }
          // As a new laptop's first pull applies it: pages, creates of unseen records in bulk.
          const pulled = await replayPagesInto(rt.db, path.join(rt.dir, 'pulled.sqlite'), 1 + (ops.length % 9));
          try {
            expect(await syncedTables(pulled.db)).toEqual(expected);
          } finally {
            await pulled.close();
          }
          sequences++;
          changes += Number((await rt.db.selectFrom('change_log').select((eb) => eb.fn.countAll().as('n')).where('device_seq', 'is not', null).executeTakeFirstOrThrow()).n);
          expect(rt.errors).toEqual([]);
        } finally {
          await rt.dispose();
        }
      }),
      { numRuns: runs },
    );
    console.log(`replay: ${sequences} sequences, ${Object.values(stats).reduce((a, b) => a + b, 0)} operations (${answers.ok} calls answered, ${answers.refused} refused), ${changes} changes replayed, 0 differences`, stats);
  }, Math.max(600_000, runs * 20_000));
});
