// The candidates' figures (npm run bench; alone: npm run bench -- --only candidates): the Candidates list and its
// search at 200 000 candidates and 1 000 000 applications (DESIGN.md's clients targets: a page ≤ 10 ms, a search
// ≤ 10 ms and ≥ 20× faster than a naive LIKE scan), through the real handler. The rows are written straight
// into a fresh database with the write path's own derived columns (entitySpecs.candidate.derive), not one by
// one through it: the bench measures reading.
import fs from 'node:fs';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { createDispatcher } from '../../main/dispatch';
import { startRuntime } from '../../main/runtime';
import { listCandidatesQuery, type CandidateListQuery } from '../../db/repositories/candidates';
import { ensureCandidateTagSources } from '../../db/sync/candidates';
import { entitySpecs } from '../../db/sync/entities';
import { measure, ratioText, round, type Row } from './stats';

const first = ['Lucía', 'Pedro', 'María', 'Javier', 'Carmen', 'Hugo', 'Sofía', 'Álvaro', 'Elena', 'Diego', 'Paula', 'Andrés', 'Núria', 'Iker', 'Ainhoa', 'Jordi'];
const last = ['García', 'Martín', 'López', 'Sánchez', 'Pérez', 'Gómez', 'Fernández', 'Díaz', 'Ruiz', 'Álvarez', 'Jiménez', 'Moreno', 'Muñoz', 'Romero', 'Navarro', 'Torres'];
const titles = ['Backend developer', 'Data analyst', 'Project manager', 'Accountant', 'Sales executive', 'Nurse', 'Electrician', 'HR business partner'];
const companies = ['Acme SL', 'Telefónica', 'Iberdrola', 'Mercadona', 'Inditex', 'BBVA', 'Repsol', 'Ferrovial', null];
const sources = ['linkedin', 'referral', 'job_board', 'website', 'event'];
const tagPool = ['python', 'sql', 'java', 'excel', 'english', 'german', 'sap', 'react', 'leadership', 'b2b'];

export async function measureCandidates(options: { dir: string; candidates: number; applications: number; iterations: number; log?: (line: string) => void }): Promise<Row[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`  candidates: ${line}\n`));
  const dir = path.join(options.dir, 'candidates-bench');
  fs.mkdirSync(dir, { recursive: true });
  const runtime = await startRuntime({ databaseFile: path.join(dir, 'candidates.sqlite'), dataDir: dir, shell: 'browser', appVersion: 'bench' });
  const rows: Row[] = [];
  try {
    const sqlite = runtime.database.sqlite;
    const at = (i: number) => new Date(Date.UTC(2021, 0, 1) + i * 60_000).toISOString();
    const started = performance.now();
    // Postings for the applications: 2 000 of one client.
    const areaId = (sqlite.prepare('SELECT id FROM areas LIMIT 1').get() as { id: string }).id;
    const clientId = uuidv7();
    sqlite.prepare(`INSERT INTO clients (id, code, company_name, email, area_id, status, name_key, email_key, created_at, updated_at, search_text) VALUES (?, 'CL-BNCH-0001', 'Bench SL', 'info@bench.example', ?, 'active', 'bench', 'info@bench.example', ?, ?, '')`).run(clientId, areaId, at(0), at(0));
    const jobs = Array.from({ length: 2000 }, () => uuidv7());
    const insertJob = sqlite.prepare(`INSERT INTO jobs (id, client_id, code, title, status, openings, created_at, updated_at) VALUES (?, ?, ?, ?, 'open', 1, ?, ?)`);
    sqlite.transaction(() => jobs.forEach((id, i) => insertJob.run(id, clientId, `JB-BNCH-${i}`, titles[i % titles.length], at(i), at(i))))();
    const stages = (sqlite.prepare('SELECT id FROM pipeline_stages').all() as { id: string }[]).map((s) => s.id);

    const spec = entitySpecs.candidate;
    const columns = ['id', 'code', 'full_name', 'email', 'phone', 'location', 'current_title', 'current_company', 'source', 'tags', 'notes', 'owner_id', 'created_at', 'updated_at', 'deleted_at', 'version', 'name_key', 'email_key', 'phone_key', 'company_key', 'search_text'];
    const insert = sqlite.prepare(`INSERT INTO candidates (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const ids: string[] = [];
    for (let from = 0; from < options.candidates; from += 10_000) {
      sqlite.transaction(() => {
        for (let i = from; i < Math.min(options.candidates, from + 10_000); i++) {
          const name = `${first[i % 16]} ${last[Math.floor(i / 16) % 16]} ${last[Math.floor(i / 256) % 16]}`;
          const row: Record<string, unknown> = {
            id: uuidv7(), code: `CD-BNCH-${String(i).padStart(6, '0')}`, full_name: name, email: `candidate${i}@mail${i % 97}.example`, phone: `+34 6${String(i).padStart(8, '0')}`,
            location: ['Madrid', 'Barcelona', 'Sevilla', 'Bilbao'][i % 4], current_title: titles[i % titles.length], current_company: companies[i % companies.length], source: sources[i % sources.length],
            tags: JSON.stringify([tagPool[i % 10], tagPool[(i * 7) % 10]]), notes: null, owner_id: null, created_at: at(i), updated_at: at(i), deleted_at: null, version: 1,
          };
          Object.assign(row, spec.derive!(row));
          insert.run(...columns.map((c) => row[c] ?? null));
          ids.push(row.id as string);
        }
      })();
    }
    const insertApplication = sqlite.prepare(`INSERT INTO applications (id, candidate_id, job_id, stage_id, stage_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    for (let from = 0; from < options.applications; from += 50_000) {
      sqlite.transaction(() => {
        for (let i = from; i < Math.min(options.applications, from + 50_000); i++) {
          insertApplication.run(uuidv7(), ids[i % ids.length], jobs[(i * 31) % jobs.length], stages[i % stages.length], at(i), at(i), at(i));
        }
      })();
    }
    // The tag and source counts the write path keeps (its after hook), counted once for the raw rows.
    await ensureCandidateTagSources(runtime.ctx.db, { force: true });
    sqlite.exec('ANALYZE');
    log(`${options.candidates} candidates and ${options.applications} applications written in ${round((performance.now() - started) / 1000, 1)} s`);

    const dispatch = createDispatcher(runtime.ctx);
    const list = (input: Record<string, unknown>) => async () => {
      const answer = await dispatch('candidates.list', { limit: 100, ...input });
      if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    };
    const cases: [string, Record<string, unknown>][] = [
      ['newest first', {}],
      ['sort by name', { sort: 'full_name', direction: 'asc' }],
      ['one source', { sources: ['referral'] }],
      ['one tag', { tags: ['python'] }],
      ['source + tag + created since March', { sources: ['referral'], tags: ['sql'], createdFrom: '2021-03-01' }],
      ['source + tag that no candidate has together (answered from the tag and source counts)', { sources: ['linkedin'], tags: ['sql'] }],
    ];
    const base: CandidateListQuery = { search: '', sources: [], tags: [], ownerIds: [], createdFrom: null, createdTo: null, includeDeleted: false, sort: 'created_at', direction: 'desc', limit: 100, after: null };
    for (const [name, input] of cases) {
      await list(input)();
      const m = await measure(list(input), options.iterations);
      // The floor: the page's own SQL (as the planner chose it) on the raw driver, measured in the same run; none
      // when the tag and source counts answered without reading candidates.
      const page = await listCandidatesQuery(runtime.ctx.db, { ...base, ...input });
      const statement = page.empty ? null : sqlite.prepare(page.compile().sql);
      const raw = statement ? await measure(() => statement.all(...(page.compile().parameters as unknown[])), options.iterations) : null;
      rows.push({
        case: `candidates list (${options.candidates} candidates, ${options.applications} applications): ${name}`, p50: round(m.p50), p95: round(m.p95), target: '≤ 10 ms',
        ...(raw ? { baseline: 'its SQL, raw driver', baselineP50: round(raw.p50), baselineP95: round(raw.p95), ratio: `${round(m.p50 / raw.p50)}×` } : {}),
      });
    }
    const naive = sqlite.prepare(`SELECT id FROM candidates WHERE deleted_at IS NULL AND (full_name LIKE @q OR email LIKE @q OR current_company LIKE @q OR current_title LIKE @q) ORDER BY created_at DESC LIMIT 100`);
    for (const [name, search] of [['name without accents', 'lopez'], ['email', 'candidate1234'], ['employer', 'telefonica'], ['two words', 'lucia garcia']] as const) {
      const m = await measure(list({ search }), options.iterations);
      const scan = await measure(() => naive.all({ q: `%${search}%` }), Math.max(5, Math.floor(options.iterations / 6)), 1);
      rows.push({ case: `candidates search «${search}» (${name})`, p50: round(m.p50), p95: round(m.p95), target: '≤ 10 ms', baseline: "naive LIKE '%q%'", baselineP50: round(scan.p50), baselineP95: round(scan.p95), ratio: ratioText(scan.p50 / m.p50, 'faster than the scan', '≥ 20×') });
    }
  } finally {
    await runtime.close();
  }
  return rows;
}
