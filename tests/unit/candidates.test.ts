import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Candidate, CandidateRow } from '../../contract/candidates';
import type { Client } from '../../contract/clients';
import type { Dashboard } from '../../contract/dashboard';
import type { Job } from '../../contract/jobs';
import { blocksAsSamePerson, colleagueKeys, personKeys, samePersonReasons } from '../../contract/people';
import type { Application, Placement, StageMove } from '../../contract/pipeline';
import { addDays, departureSettlement, guaranteeEnd, instalmentsOf, placementFee } from '../../contract/placements';
import { listCandidatesQuery } from '../../db/repositories/candidates';
import { ensureCandidateTagSources } from '../../db/sync/candidates';
import { testRuntime } from '../support/runtime';
import { csvFile, download, parseCsvText, runTaskOk, upload } from '../support/transfer';

describe('the same-person rule', () => {
  const keys = (name: string, email: string | null, phone: string | null = null, company: string | null = null) => personKeys({ name, email, phone, company });

  it('blocks the same email, and the same name at one employer when an email is missing; warns on a phone or a similar name', () => {
    expect(samePersonReasons(keys('Ana García', 'ANA@mail.es'), keys('Someone', 'ana@mail.es'))).toEqual(['email']);
    expect(samePersonReasons(keys('Ana García', null, null, 'Acme S.L.'), keys('ana garcia', 'a@x.es', null, 'Acme'))).toEqual(['name']);
    // Both have (different) emails: namesakes at one company are only a warning.
    expect(samePersonReasons(keys('Ana García', 'a@x.es', null, 'Acme'), keys('Ana García', 'b@x.es', null, 'Acme'))).toEqual(['name_company']);
    expect(samePersonReasons(keys('Ana García', null, '+34612345678'), keys('Luis Pérez', null, '+34612345678 ext. 2'))).toEqual(['phone']);
    expect(samePersonReasons(keys('Ana María García', null, null, 'Acme'), keys('Ana Maria Garcia Lopez', 'x@y.es', null, 'ACME SL'))).toEqual(['name_company']);
    expect(samePersonReasons(keys('Ana García', null, null, 'Acme'), keys('Ana García', null, null, 'Globex'))).toEqual([]);
  });

  it('is the contacts rule too: the same email, or the same name when either has no email', () => {
    const contact = (name: string, email_key: string | null) => colleagueKeys({ name, email_key });
    expect(blocksAsSamePerson(contact('Ana García', 'ana@acme.es'), contact('Other', 'ana@acme.es'))).toBe(true);
    expect(blocksAsSamePerson(contact('Ana García', null), contact('ana garcía', 'ana@acme.es'))).toBe(true);
    expect(blocksAsSamePerson(contact('Ana García', 'a@acme.es'), contact('Ana García', 'b@acme.es'))).toBe(false);
    expect(blocksAsSamePerson(contact('Ana García', null), contact('Luis Pérez', null))).toBe(false);
  });
});

describe('fees and guarantees', () => {
  it('computes the fee from the posting terms', () => {
    const pct = { feeType: 'percentage' as const, feePercent: 20, feeFixedMinor: null, retainerInstalments: null };
    expect(placementFee(pct, 4_800_000, 'year')).toEqual({ annualSalaryMinor: 4_800_000, feeMinor: 960_000, instalments: null });
    expect(placementFee(pct, 400_000, 'month').feeMinor).toBe(960_000);
    expect(placementFee({ feeType: 'fixed', feePercent: null, feeFixedMinor: 500_000, retainerInstalments: null }, 1, 'year').feeMinor).toBe(500_000);
    expect(placementFee({ feeType: 'retainer', feePercent: null, feeFixedMinor: 1_000_000, retainerInstalments: 3 }, 1, 'year').instalments).toEqual([333_333, 333_333, 333_334]);
    expect(placementFee(pct, 4_800_000, 'year', true).feeMinor).toBe(0);
    expect(placementFee({ feeType: null, feePercent: null, feeFixedMinor: null, retainerInstalments: null }, 1, 'year').feeMinor).toBeNull();
    expect(instalmentsOf(10, 4).reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('ends the guarantee after its days and settles a departure by the clause', () => {
    expect(guaranteeEnd('2026-03-02', 90)).toBe('2026-05-31');
    expect(guaranteeEnd('2026-03-02', null)).toBeNull();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    const base = { feeMinor: 900_000, startDate: '2026-03-01', guaranteeEndDate: '2026-05-30', proRataDays: 90, leftOn: '2026-03-31' };
    expect(departureSettlement({ ...base, guaranteePolicy: 'refund' })).toEqual({ daysWorked: 30, insideGuarantee: true, settlement: 'refund', refundMinor: 600_000 });
    expect(departureSettlement({ ...base, guaranteePolicy: 'refund', proRataDays: null }).refundMinor).toBe(900_000);
    expect(departureSettlement({ ...base, guaranteePolicy: 'replacement' })).toMatchObject({ settlement: 'replacement', refundMinor: 0 });
    expect(departureSettlement({ ...base, guaranteePolicy: 'refund', leftOn: '2026-06-01' })).toMatchObject({ insideGuarantee: false, settlement: 'none', refundMinor: 0 });
  });
});

describe('candidates and the pipeline', () => {
  let rt: Awaited<ReturnType<typeof testRuntime>>;
  let client: Client;
  const now = new Date('2026-11-20T10:00:00.000Z');

  beforeEach(async () => {
    rt = await testRuntime({ now: () => now });
    const areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
    client = await rt.call<Client>('clients.create', { companyName: 'Acme', email: 'info@acme.es', areaId });
  });
  afterEach(() => rt.dispose());

  const posting = (fields: Record<string, unknown> = {}) =>
    rt.call<Job>('jobs.create', {
      clientId: client.id, title: 'Backend Engineer', status: 'open', openings: 2, salaryMinMinor: 4_000_000, salaryMaxMinor: 6_000_000, salaryCurrency: 'EUR', salaryPeriod: 'year',
      feeType: 'percentage', feePercent: 20, probability: 50, guaranteeDays: 90, guaranteePolicy: 'refund', proRataDays: 90, ...fields,
    });
  const candidate = (fields: Record<string, unknown> = {}) => rt.call<Candidate>('candidates.create', { fullName: 'Lucía Martín', email: 'lucia@mail.es', ...fields });
  const list = (input: Record<string, unknown> = {}) => rt.call<{ rows: CandidateRow[] }>('candidates.list', input).then((r) => r.rows.map((c) => c.fullName));
  const placed = { startDate: '2026-11-02', salaryMinor: 4_800_000, salaryCurrency: 'EUR', salaryPeriod: 'year' };

  it('refuses the same email, warns on a look-alike until acknowledged, and searches without accents', async () => {
    const lucia = await candidate({ phone: '612 345 678', currentCompany: 'Globex', tags: ['Python', 'python ', 'SQL'] });
    expect(lucia.tags).toEqual(['Python', 'SQL']);
    expect(lucia.phone).toBe('+34 612 34 56 78');
    const twin = await rt.dispatch('candidates.create', { fullName: 'Other', email: 'LUCIA@mail.es' });
    expect(twin.ok || twin.error).toMatchObject({ code: 'DUPLICATE', reason: 'duplicate_person' });
    const alike = await rt.dispatch('candidates.create', { fullName: 'Lucia Martin Gil', email: 'lmg@mail.es', currentCompany: 'Globex S.A.' });
    expect(alike.ok || alike.error).toMatchObject({ code: 'DUPLICATE', reason: 'possible_duplicate_person', matches: [{ id: lucia.id, reasons: ['name_company'] }] });
    await rt.call('candidates.create', { fullName: 'Lucia Martin Gil', email: 'lmg@mail.es', currentCompany: 'Globex S.A.', acknowledgedDuplicateIds: [lucia.id] });
    await candidate({ fullName: 'Pedro Gil', email: null, tags: ['Java'] });

    expect(await list({ search: 'lucia' })).toEqual(['Lucia Martin Gil', 'Lucía Martín']);
    expect(await list({ search: '612345' })).toEqual(['Lucía Martín']);
    expect(await list({ tags: ['java'] })).toEqual(['Pedro Gil']);
    expect(await list({ tags: ['jav'] })).toEqual([]);
    expect(await list({ sort: 'full_name', direction: 'asc' })).toEqual(['Lucia Martin Gil', 'Lucía Martín', 'Pedro Gil']);
  });

  it('keeps live candidates counted per tag and source with every write, and answers a tag + source combination nobody has from those counts', async () => {
    const counts = async () => (await rt.db.selectFrom('candidate_tag_sources').selectAll().orderBy('tag').orderBy('source').execute()).map((r) => `${r.tag} ${r.source} ${r.candidates}`);
    const a = await candidate({ tags: ['Python', 'SQL'], source: 'referral' });
    const b = await candidate({ fullName: 'Pedro Gil', email: 'pedro@mail.es', tags: ['python'], source: 'linkedin' });
    await candidate({ fullName: 'Eva Sanz', email: 'eva@mail.es', tags: ['Pythón'], source: null });
    expect(await counts()).toEqual(['#python#  1', '#python# linkedin 1', '#python# referral 1', '#sql# referral 1']);
    const edited = await rt.call<Candidate>('candidates.update', { id: a.id, version: a.version, fullName: a.fullName, email: a.email, tags: ['sql'], source: 'linkedin' });
    expect(await counts()).toEqual(['#python#  1', '#python# linkedin 1', '#sql# linkedin 1']);
    await rt.call('candidates.delete', { id: b.id, version: b.version });
    expect(await counts()).toEqual(['#python#  1', '#sql# linkedin 1']);
    // Counted again from the rows (an upgraded database, raw rows): the same counts.
    const before = await counts();
    expect(await ensureCandidateTagSources(rt.db, { force: true })).toBe(true);
    expect(await counts()).toEqual(before);

    // Nobody is tagged python with source linkedin any more: the answer comes from the counts, and is what the walk gives.
    const query = { search: '', sources: ['linkedin'], tags: ['python'], ownerIds: [], createdFrom: null, createdTo: null, includeDeleted: false, sort: 'created_at' as const, direction: 'desc' as const, limit: 100, after: null };
    const page = await listCandidatesQuery(rt.db, query);
    expect(page.empty).toBe(true);
    expect(await list({ sources: ['linkedin'], tags: ['python'] })).toEqual([]);
    expect(await list({ sources: ['linkedin'], tags: ['python'], includeDeleted: true })).toEqual(['Pedro Gil']);
    expect((await listCandidatesQuery(rt.db, { ...query, tags: ['SQL'] })).empty).toBe(false);
    expect(await list({ sources: ['linkedin'], tags: ['SQL'] })).toEqual([edited.fullName]);
    expect(await list({ tags: ['python', 'sql'] })).toEqual([]);
    expect(await list({ tags: ['python'] })).toEqual(['Eva Sanz']);
  });

  it('places a candidate: the fee from the terms, the openings count down, the last fills the posting, the dashboard earns it', async () => {
    const job = await posting();
    const [a, b] = [await candidate(), await candidate({ fullName: 'Pedro Gil', email: 'pedro@mail.es' })];
    const appA = await rt.call<Application>('applications.create', { candidateId: a.id, jobId: job.id });
    const appB = await rt.call<Application>('applications.create', { candidateId: b.id, jobId: job.id });
    expect((await rt.dispatch('applications.create', { candidateId: a.id, jobId: job.id })).ok).toBe(false);

    const screened = await rt.call<Application>('applications.move', { id: appA.id, version: appA.version, stageId: 'stage-screening' });
    const placedA = await rt.call<Application>('applications.move', { id: appA.id, version: screened.version, stageId: 'stage-placed', placement: placed });
    expect(placedA.placement).toMatchObject({ feeMinor: 960_000, annualSalaryMinor: 4_800_000, guaranteeEndDate: '2027-01-31', guaranteePolicy: 'refund' });
    expect((await rt.call<Job>('jobs.get', { id: job.id })).openings).toBe(1);

    await rt.call('applications.move', { id: appB.id, version: appB.version, stageId: 'stage-placed', placement: { ...placed, salaryMinor: 5_000_000 } });
    expect(await rt.call<Job>('jobs.get', { id: job.id })).toMatchObject({ status: 'filled', openings: 1 });

    const moves = await rt.call<StageMove[]>('applications.history', { id: appA.id });
    expect(moves.map((m) => [m.fromStageId, m.toStageId])).toEqual([[null, 'stage-applied'], ['stage-applied', 'stage-screening'], ['stage-screening', 'stage-placed']]);

    let stats = await rt.call<Dashboard>('dashboard.stats');
    expect(stats.earnedByMonth.find((m) => m.month === '2026-11')!.byCurrency).toEqual({ EUR: 1_960_000 });
    expect(stats.guaranteesEnding.map((g) => [g.candidateName, g.guaranteeEndDate])).toEqual([['Lucía Martín', '2027-01-31'], ['Pedro Gil', '2027-01-31']]);

    // Lucía leaves after 30 days: two thirds of her fee go back, the posting reopens with one opening.
    const placement = placedA.placement!;
    const left = await rt.call<Placement>('placements.recordDeparture', { id: placement.id, version: placement.version, leftOn: '2026-12-02' });
    expect(left).toMatchObject({ settlement: 'refund', refundMinor: 640_000 });
    expect(await rt.call<Job>('jobs.get', { id: job.id })).toMatchObject({ status: 'open', openings: 1 });
    stats = await rt.call<Dashboard>('dashboard.stats');
    expect(stats.earnedByMonth.find((m) => m.month === '2026-11')!.byCurrency).toEqual({ EUR: 1_320_000 });
    expect(stats.guaranteesEnding.map((g) => g.candidateName)).toEqual(['Pedro Gil']);
    const totals = await rt.call<{ openPostings: number; total: number }>('applications.clientTotals', { clientId: client.id });
    expect(totals).toMatchObject({ openPostings: 1, total: 2 });
  });

  it('gives the opening back when an application leaves Placed, and keeps placed candidates', async () => {
    const job = await posting({ openings: 1 });
    const lucia = await candidate();
    const app = await rt.call<Application>('applications.create', { candidateId: lucia.id, jobId: job.id });
    const needsPlacement = await rt.dispatch('applications.move', { id: app.id, version: app.version, stageId: 'stage-placed' });
    expect(needsPlacement.ok).toBe(false);
    const moved = await rt.call<Application>('applications.move', { id: app.id, version: app.version, stageId: 'stage-placed', placement: placed });
    expect((await rt.call<Job>('jobs.get', { id: job.id })).status).toBe('filled');
    const refused = await rt.dispatch('candidates.delete', { id: lucia.id, version: lucia.version });
    expect(refused.ok || refused.error).toMatchObject({ code: 'VALIDATION', fields: [{ message: 'has_placements' }] });
    const stale = await rt.dispatch('applications.move', { id: app.id, version: app.version, stageId: 'stage-offer' });
    expect(stale.ok || stale.error).toMatchObject({ code: 'CONFLICT', reason: 'application_changed' });
    await rt.call('applications.move', { id: app.id, version: moved.version, stageId: 'stage-offer' });
    expect(await rt.call<Job>('jobs.get', { id: job.id })).toMatchObject({ status: 'open', openings: 1 });
    expect((await rt.call<Dashboard>('dashboard.stats')).earnedByMonth.every((m) => Object.keys(m.byCurrency).length === 0)).toBe(true);
  });

  it('exports the candidates of the filter, in the list order, with the headers the renderer sends', async () => {
    await candidate({ tags: ['Python', 'SQL'], notes: 'Línea 1\nLínea 2' });
    await candidate({ fullName: 'Pedro Gil', email: 'pedro@mail.es', tags: ['Java'] });
    const result = await runTaskOk(rt, 'exports.candidates', { filter: { tags: ['python'] }, format: 'csv', headers: { fullName: 'Nombre' } }, 'export');
    expect(result.rows).toBe(1);
    const rows = parseCsvText((await download(rt, result.file.fileId)).toString('utf8').replace(/^\uFEFF/, ''));
    expect(rows[0]!.slice(0, 3)).toEqual(['Code', 'Nombre', 'Email']);
    expect(rows[1]).toContain('Lucía Martín');
    expect(rows[1]).toContain('Python; SQL');
    expect(rows[1]).toContain('Línea 1\nLínea 2');
  });

  it('keeps the stages an editable list: a new one before the offer, renamed, reordered, retired; final stages cannot be retired', async () => {
    const added = await rt.call<{ id: string; sortOrder: number }>('stages.create', { name: 'Technical test' });
    let stages = await rt.call<{ id: string; key: string | null; name: string; active: boolean }[]>('stages.list', {});
    expect(stages.map((s) => s.key ?? s.name)).toEqual(['applied', 'screening', 'client_interview', 'Technical test', 'offer', 'placed', 'rejected', 'withdrawn']);
    const refused = await rt.dispatch('stages.update', { id: 'stage-placed', name: 'Hired', active: false });
    expect(refused.ok || refused.error).toMatchObject({ code: 'VALIDATION', fields: [{ message: 'stage_locked' }] });
    await rt.call('stages.update', { id: added.id, name: 'Tech test', active: false });
    await rt.call('stages.reorder', { ids: ['stage-screening', 'stage-applied', added.id, 'stage-client_interview', 'stage-offer'] });
    stages = await rt.call('stages.list', { includeInactive: false });
    expect(stages.map((s) => s.key ?? s.name)).toEqual(['screening', 'applied', 'client_interview', 'offer', 'placed', 'rejected', 'withdrawn']);
  });

  it('imports candidates with the wizard: mapping guessed, the same person skipped or updated by the one rule, look-alikes flagged, the dry run writes nothing', async () => {
    await candidate({ currentCompany: 'Globex' });
    const file = csvFile([
      ['Nombre completo', 'Correo', 'Teléfono', 'Empresa actual', 'Etiquetas', 'Notas'],
      ['Pedro Gil', 'pedro@mail.es', '612 000 111', 'Initech', 'Java; Kotlin', ''],
      ['Otra Persona', 'LUCIA@mail.es', '', '', '', 'same email as Lucía'],
      ['Pedro Gil', 'pedro@mail.es', '', '', '', 'the same row twice'],
      ['Lucia Martin Ruiz', 'lmr@mail.es', '', 'Globex S.A.', '', ''],
      ['Ana Sin Correo', 'not an email', '', 'Acme', 'Python', ''],
    ]);
    const fileId = await upload(rt, 'candidatos.csv', file);
    const analysis = await rt.call<{ mapping: (string | null)[] }>('imports.analyze', { fileId, target: 'candidates' });
    expect(analysis.mapping).toEqual(['fullName', 'email', 'phone', 'currentCompany', 'tags', 'notes']);
    const run = (extra: Record<string, unknown>) => runTaskOk(rt, 'imports.start', { fileId, target: 'candidates', mapping: analysis.mapping, ...extra }, 'import');

    const dry = await run({ dryRun: true });
    expect(dry.summary).toMatchObject({ dryRun: true, created: 3, skipped: 2, rejected: 0 });
    expect(await list()).toEqual(['Lucía Martín']);

    const real = await run({ duplicateMode: 'skip' });
    expect(real.summary).toMatchObject({ created: 3, skipped: 2, warned: 1, valueWarnings: 1 });
    const rows = await rt.call<{ rows: CandidateRow[] }>('candidates.list', { sort: 'full_name', direction: 'asc' });
    expect(rows.rows.map((r) => r.fullName)).toEqual(['Ana Sin Correo', 'Lucia Martin Ruiz', 'Lucía Martín', 'Pedro Gil']);
    expect(rows.rows.find((r) => r.fullName === 'Pedro Gil')).toMatchObject({ tags: ['Java', 'Kotlin'], phone: '+34 612 00 01 11', email: 'pedro@mail.es' });
    expect(rows.rows.find((r) => r.fullName === 'Ana Sin Correo')).toMatchObject({ email: null, tags: ['Python'] });

    // Again in update mode: every row is someone on file now (Ana by her name at the same company, having no email),
    // updated with its non-empty cells, never copied.
    const again = await run({ duplicateMode: 'update' });
    expect(again.summary).toMatchObject({ created: 0, updated: 5 });
    expect((await rt.call<{ rows: CandidateRow[] }>('candidates.list', {})).rows).toHaveLength(4);
    const lucia = (await rt.call<{ rows: CandidateRow[] }>('candidates.list', { search: 'lucia@mail.es' })).rows[0]!;
    expect(lucia.fullName).toBe('Otra Persona');
  });
});
