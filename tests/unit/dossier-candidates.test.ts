import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RestoreSummary } from '../../contract/transfer';
import { testRuntime } from '../support/runtime';
import { download, runTaskOk, upload } from '../support/transfer';
import { readZip } from '../support/zip';

// The backup/restore dossier carries candidates with their CVs, applications and placements (candidates.jsonl,
// format version 2); a dossier made before candidates existed (tests/fixtures/dossier-v1.zip, written by the
// version 1 exporter) still restores.

type Rt = Awaited<ReturnType<typeof testRuntime>>;
const opened: Rt[] = [];
async function runtime() {
  const rt = await testRuntime();
  opened.push(rt);
  return rt;
}
afterEach(async () => {
  while (opened.length) await opened.pop()!.dispose();
});

const cvBytes = Buffer.from('%PDF-1.4 Marta Ruiz, backend developer');
const placement = { startDate: '2026-12-01', salaryMinor: 4_800_000, salaryCurrency: 'EUR', salaryPeriod: 'year' };

interface Source {
  rt: Rt;
  clientId: string;
  marta: { id: string; code: string };
  pedro: { id: string; code: string };
}

/** A client with a posting, two candidates (one with a CV) who applied to it, one of them placed; a candidate with no application. */
async function source(): Promise<Source> {
  const rt = await runtime();
  const areaId = (await rt.call<{ id: string }[]>('areas.list'))[0]!.id;
  const owner = await rt.call<{ id: string }>('users.create', { name: 'Ana García', email: 'ana@agency.es' });
  const client = await rt.call<{ id: string }>('clients.create', { companyName: 'Acme Talent', email: 'info@acme-talent.es', areaId });
  const job = await rt.call<{ id: string }>('jobs.create', { clientId: client.id, title: 'Backend developer', status: 'open', openings: 2, feeType: 'percentage', feePercent: 20, guaranteeDays: 90, guaranteePolicy: 'refund' });
  const marta = await rt.call<{ id: string; code: string }>('candidates.create', { fullName: 'Marta Ruiz', email: 'marta@mail.example', phone: '612 345 678', tags: ['java'], source: 'linkedin', ownerId: owner.id });
  const pedro = await rt.call<{ id: string; code: string }>('candidates.create', { fullName: 'Pedro Gil', email: 'pedro@mail.example', currentCompany: 'Globex' });
  await rt.call('candidates.create', { fullName: 'Lucía Martín', email: 'lucia@mail.example' });
  await rt.call('candidates.addDocument', { candidateId: marta.id, fileId: await upload(rt, 'cv-marta.pdf', cvBytes) });
  const applied = await rt.call<{ id: string; version: number }>('applications.create', { candidateId: marta.id, jobId: job.id });
  await rt.call('applications.move', { id: applied.id, version: applied.version, stageId: 'stage-placed', placement });
  const other = await rt.call<{ id: string; version: number }>('applications.create', { candidateId: pedro.id, jobId: job.id });
  await rt.call('applications.move', { id: other.id, version: other.version, stageId: 'stage-screening' });
  return { rt, clientId: client.id, marta, pedro };
}

async function backup(rt: Rt, clientId: string | null = null) {
  const result = await runTaskOk(rt, 'exports.dossier', { clientId }, 'dossier');
  return download(rt, result.file.fileId);
}
async function restore(on: Rt, bytes: Buffer, fileName = 'backup.zip') {
  return (await runTaskOk(on, 'imports.restore', { fileId: await upload(on, fileName, bytes) }, 'restore')).summary as RestoreSummary;
}

/**
 * The rows as stored, minus what a restore writes anew (its own time of last change and version) and row numbers;
 * team members by name (each database has its own, matched by email or name).
 */
async function rows(rt: Rt) {
  const users = new Map((await rt.db.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
  const named = (id: string | null) => (id === null ? null : users.get(id));
  const strip = <T extends Record<string, unknown>>(list: T[]) => list.map(({ seq: _s, updated_at: _u, version: _v, ...rest }) => rest);
  return {
    candidates: strip(await rt.db.selectFrom('candidates').selectAll().orderBy('id').execute()).map((c) => ({ ...c, owner_id: named(c.owner_id) })),
    documents: await rt.db.selectFrom('candidate_documents').selectAll().orderBy('id').execute(),
    applications: strip(await rt.db.selectFrom('applications').selectAll().orderBy('id').execute()).map((a) => ({ ...a, stage_changed_by: named(a.stage_changed_by) })),
    placements: strip(await rt.db.selectFrom('placements').selectAll().orderBy('id').execute()),
  };
}
const countOf = async (rt: Rt, table: 'candidates' | 'applications' | 'placements' | 'candidate_documents' | 'change_log') =>
  Number((await rt.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('candidates in the dossier', () => {
  let src: Source;
  beforeEach(async () => {
    src = await source();
  });

  it('writes candidates.jsonl with documents, applications and placements, and the stages in the manifest', async () => {
    const file = path.join(src.rt.dir, 'backup.zip');
    fs.writeFileSync(file, await backup(src.rt));
    const entries = await readZip(file);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(manifest).toMatchObject({ format: 'clients-dossier', version: 2, clients: 1, candidates: 3 });
    expect(manifest.stages.map((s: { id: string }) => s.id)).toContain('stage-placed');
    const lines = entries.get('candidates.jsonl')!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    const marta = lines.find((l) => l.candidate.id === src.marta.id);
    expect(marta).toMatchObject({ documents: [{ file_name: 'cv-marta.pdf', kind: 'cv' }], applications: [{ stage_id: 'stage-placed' }], placements: [{ fee_minor: 960_000 }] });
    expect(marta.candidate).not.toHaveProperty('search_text');
    expect(entries.get(`documents/${marta.documents[0].sha256}`)).toEqual(cvBytes);
  });

  it('round trip: restored into an empty database, the same rows and documents; a second restore adds nothing', async () => {
    const bytes = await backup(src.rt);
    const target = await runtime();
    const summary = await restore(target, bytes);
    expect(summary).toMatchObject({ restored: 1, conflicts: [], candidates: { total: 3, restored: 3, alreadyPresent: 0, documents: 1, applications: 2, placements: 1 } });
    expect(await rows(target)).toEqual(await rows(src.rt));
    // The CV's bytes are in the target's store, and the candidate's history came along.
    const document = (await target.db.selectFrom('candidate_documents').select('sha256').executeTakeFirstOrThrow()).sha256;
    expect(fs.readFileSync(target.ctx.files.pathOf(document))).toEqual(cvBytes);
    const history = await target.db.selectFrom('change_log').select('id').where('entity', '=', 'candidate').where('entity_id', '=', src.marta.id).where('device_seq', 'is', null).execute();
    expect(history.length).toBeGreaterThan(0);
    // Restored candidates are found by the list's search, and placed revenue is earned on the dashboard again.
    expect((await target.call<{ rows: { id: string }[] }>('candidates.list', { search: 'marta' })).rows.map((r) => r.id)).toEqual([src.marta.id]);

    const before = { candidates: await countOf(target, 'candidates'), applications: await countOf(target, 'applications'), log: await countOf(target, 'change_log') };
    const again = await restore(target, bytes, 'again.zip');
    expect(again).toMatchObject({ conflicts: [], candidates: { total: 3, restored: 0, alreadyPresent: 3, documents: 0, applications: 0, placements: 0 } });
    expect({ candidates: await countOf(target, 'candidates'), applications: await countOf(target, 'applications'), log: await countOf(target, 'change_log') }).toEqual(before);
  });

  it('into a database that already has some: the same person is not added twice, and the report says what was skipped', async () => {
    const bytes = await backup(src.rt);
    const target = await runtime();
    // Marta is here already under another id (same email); the client is here already as another client, so
    // Pedro's application finds no posting.
    const areaId = (await target.call<{ id: string }[]>('areas.list'))[0]!.id;
    await target.call('clients.create', { companyName: 'Acme Talent Group', email: 'INFO@acme-talent.es', areaId });
    const here = await target.call<{ id: string }>('candidates.create', { fullName: 'Marta Ruiz Pérez', email: 'Marta@Mail.example' });
    const summary = await restore(target, bytes);
    expect(summary.restored).toBe(0);
    expect(summary.candidates).toEqual({ total: 3, restored: 2, alreadyPresent: 0, documents: 0, applications: 0, placements: 0 });
    expect(summary.conflicts).toEqual([
      { kind: 'client', code: expect.any(String), companyName: 'Acme Talent', reason: 'email' },
      { kind: 'candidate', code: src.marta.code, companyName: 'Marta Ruiz', reason: 'candidate_email' },
      { kind: 'application', code: src.pedro.code, companyName: 'Pedro Gil', reason: 'no_posting' },
    ]);
    const candidates = await target.db.selectFrom('candidates').select(['id', 'email']).orderBy('full_name').execute();
    expect(candidates.map((c) => c.email)).toEqual(['lucia@mail.example', 'Marta@Mail.example', 'pedro@mail.example']);
    expect(candidates.find((c) => c.email === 'Marta@Mail.example')!.id).toBe(here.id);
    expect(await countOf(target, 'applications')).toBe(0);
    expect(await countOf(target, 'placements')).toBe(0);
  });

  it('one client’s dossier carries the candidates who applied to its postings, and only those applications', async () => {
    const areaId = (await src.rt.call<{ id: string }[]>('areas.list'))[0]!.id;
    const elsewhere = await src.rt.call<{ id: string }>('clients.create', { companyName: 'Other Co', email: 'info@other-co.es', areaId });
    const job = await src.rt.call<{ id: string }>('jobs.create', { clientId: elsewhere.id, title: 'Analyst', status: 'open' });
    await src.rt.call('applications.create', { candidateId: src.pedro.id, jobId: job.id });
    const target = await runtime();
    const summary = await restore(target, await backup(src.rt, src.clientId));
    expect(summary).toMatchObject({ restored: 1, conflicts: [], candidates: { total: 2, restored: 2, documents: 1, applications: 2, placements: 1 } });
    expect((await target.db.selectFrom('candidates').select('full_name').orderBy('full_name').execute()).map((c) => c.full_name)).toEqual(['Marta Ruiz', 'Pedro Gil']);
  });
});

describe('a dossier from before candidates', () => {
  it('restores its clients (version 1: no candidates.jsonl, no stages in the manifest)', async () => {
    const target = await runtime();
    const summary = await restore(target, fs.readFileSync(path.join(__dirname, '../fixtures/dossier-v1.zip')), 'old.zip');
    expect(summary).toEqual({
      clients: 1, restored: 1, alreadyPresent: 0, conflicts: [], contacts: 1, events: 1, jobs: 1, documents: 1,
      candidates: { total: 0, restored: 0, alreadyPresent: 0, documents: 0, applications: 0, placements: 0 },
    });
    const client = await target.db.selectFrom('clients').select(['company_name', 'owner_id']).executeTakeFirstOrThrow();
    expect(client.company_name).toBe('Vieja Copia S.L.');
    const owner = await target.db.selectFrom('users').select('name').where('id', '=', client.owner_id!).executeTakeFirstOrThrow();
    expect(owner.name).toBe('Old Owner');
    const attachment = await target.db.selectFrom('attachments').select('sha256').executeTakeFirstOrThrow();
    expect(fs.readFileSync(target.ctx.files.pathOf(attachment.sha256), 'utf8')).toBe('Acta de la reunión inicial');
  });
});
