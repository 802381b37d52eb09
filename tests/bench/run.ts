// npm run bench: builds the DESIGN.md dataset (100 000 clients, 300 000 contacts, 1 000 000 events,
// 200 000 jobs) in a temporary file through the seed code, then measures the handlers against the same
// SQL on raw better-sqlite3 and a naive LIKE scan; then the sync server (tests/bench/server.ts) against plain
// PostgreSQL, and the sync job (tests/bench/sync.ts) against the import's write ceiling. Prints a table and writes JSON (bench-results.json).
//   --clients N   dataset size (default 100000)      --db FILE   reuse/keep this database file
//   --json FILE   where to write the JSON            --iterations N   samples per case (default 60)
//   --only server  just the sync server's figures     --server-clients N   its team size (default: --clients)
//   --only sync    just the sync job's figures (a laptop pushing its team, a new laptop's first pull)
//   --only candidates  just the candidates list and search   --candidates N --applications N  (200000, 1000000)
//   --database-url URL  run the sync server's figures on this PostgreSQL instead of a throwaway PostgreSQL 15
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDispatcher } from '../../main/dispatch';
import { startRuntime } from '../../main/runtime';
import { openDatabase } from '../../db/open';
import { uuidv7 } from 'uuidv7';
import { ensureDeviceIdentity } from '../../db/device';
import { ensureReferenceData } from '../../db/reference';
import { generateDemoData } from '../../db/seed/generate';
import { listClientsQuery, type ClientListQuery } from '../../db/repositories/clients';
import { measure, round } from './stats';
import { companyMatchKeys, foldText, readCompanyName } from '../../contract/companies';
import { candidateParams, candidateSql } from '../../main/duplicates/companies';
import { measureServer } from './server';
import { measureSyncJob } from './sync';
import { measureCandidates } from './candidates';
import { measureTransfer } from './transfer';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    db: { type: 'string' },
    json: { type: 'string', default: 'bench-results.json' },
    iterations: { type: 'string', default: '60' },
    only: { type: 'string' },
    'server-clients': { type: 'string' },
    'database-url': { type: 'string' },
    candidates: { type: 'string', default: '200000' },
    applications: { type: 'string', default: '1000000' },
  },
});
const clients = Number(args.clients);
const iterations = Number(args.iterations);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-bench-'));
const file = args.db ?? path.join(dir, 'bench.sqlite');

interface Row {
  case: string;
  p50: number;
  p95: number;
  target?: string;
  baseline?: string;
  baselineP50?: number;
  baselineP95?: number;
  ratio?: string;
}
const results: Row[] = [];
const report: Record<string, unknown> = { clients, iterations, node: process.version, platform: `${process.platform}-${process.arch}`, cpus: os.cpus().length };

async function build() {
  if (fs.existsSync(file) && fs.statSync(file).size > 0) {
    console.log(`Reusing ${file}`);
    return;
  }
  const database = await openDatabase(file);
  const { deviceId } = await ensureDeviceIdentity(database.db, uuidv7);
  await ensureReferenceData(database.db, { actor: { deviceId, userId: null, at: new Date().toISOString(), newId: uuidv7 }, firstUserName: 'Bench' });
  // The dataset's "now" is today, so date filters such as "last 30 days" select realistic slices.
  const start = performance.now();
  let last = 0;
  await generateDemoData(database, {
    clients,
    seed: 42,
    now: new Date(),
    onProgress: (done, total, phase) => {
      if (performance.now() - last > 1000 || done === total) {
        last = performance.now();
        process.stderr.write(`\r  seeding ${phase}: ${done}/${total}      `);
      }
    },
  });
  const seconds = (performance.now() - start) / 1000;
  process.stderr.write('\n');
  await database.close();
  report.generateSeconds = round(seconds, 1);
  results.push({ case: `generate dataset (${clients} clients)`, p50: round(seconds * 1000, 0), p95: round(seconds * 1000, 0), target: '≤ 60 000 ms' });
}

async function main() {
  if (args.only && !['server', 'sync', 'candidates'].includes(args.only)) throw new Error(`--only takes "server", "sync" or "candidates" (got "${args.only}")`);
  if (!args.only) await benchApp();
  if (!args.only || args.only === 'candidates') results.push(...(await measureCandidates({ dir, candidates: Number(args.candidates), applications: Number(args.applications), iterations })));
  const team = { clients: Number(args['server-clients'] ?? clients), ...(args['database-url'] ? { databaseUrl: args['database-url'] } : {}) };
  if (!args.only || args.only === 'server') results.push(...(await measureServer(team)));
  if (!args.only || args.only === 'sync') results.push(...(await measureSyncJob(team)));
  report.results = results;
  fs.writeFileSync(args.json!, JSON.stringify(report, null, 2));

  const header = ['case', 'p50 ms', 'p95 ms', 'target', 'baseline', 'base p50', 'base p95', 'ratio', 'met'];
  const lines = results.map((r) => [r.case, r.p50, r.p95, r.target ?? '', r.baseline ?? '', r.baselineP50 ?? '', r.baselineP95 ?? '', r.ratio ?? '', verdict(r)].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const l of lines) console.log(fmt(l));
  console.log(`\nJSON written to ${args.json}`);
  if (!args.db) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Whether a row meets its targets: `≤ N ms` against its p95 (`(ours)` and throughput targets are not judged),
 * and a ratio's own bound, `(≥ N×)` or `(≤ N×)`. MISS names what missed.
 */
function verdict(r: Row): string {
  const misses: string[] = [];
  const time = /^≤ ([\d ]+) ms$/.exec(r.target ?? '');
  if (time && r.p95 > Number(time[1]!.replace(/ /g, ''))) misses.push('p95');
  const ratio = /^([\d.]+)×.*\((≥|≤) ([\d.]+)×\)$/.exec(r.ratio ?? '');
  if (ratio && (ratio[2] === '≥' ? Number(ratio[1]) < Number(ratio[3]) : Number(ratio[1]) > Number(ratio[3]))) misses.push('ratio');
  if (!time && !ratio) return '';
  return misses.length ? `MISS (${misses.join(', ')})` : 'ok';
}

/** The app's figures: handlers against the raw driver, the renderer, export and import. */
async function benchApp() {
  await build();
  const runtime = await startRuntime({ databaseFile: file, dataDir: dir, shell: 'browser', appVersion: 'bench' });
  const dispatch = createDispatcher(runtime.ctx);
  const raw = runtime.database.sqlite;
  const counts = raw.prepare(`SELECT (SELECT count(*) FROM clients) c, (SELECT count(*) FROM client_contacts) k, (SELECT count(*) FROM events) e, (SELECT count(*) FROM jobs) j`).get();
  report.dataset = counts;
  console.log('Dataset:', counts);

  const areas = raw.prepare(`SELECT id FROM areas ORDER BY sort_order LIMIT 3`).all() as { id: string }[];
  const owner = (raw.prepare(`SELECT owner_id FROM clients WHERE owner_id IS NOT NULL LIMIT 1`).get() as { owner_id: string }).owner_id;
  const sample = raw.prepare(`SELECT id, code, company_name, email FROM clients ORDER BY seq LIMIT 1 OFFSET ?`).get(Math.floor(clients / 2)) as { id: string; code: string; company_name: string; email: string };
  const contact = raw.prepare(`SELECT name FROM client_contacts ORDER BY seq LIMIT 1 OFFSET ?`).get(Math.floor(clients)) as { name: string };

  const base: ClientListQuery = { search: '', statuses: [], areaIds: [], ownerIds: [], createdFrom: null, createdTo: null, includeArchived: false, sort: 'created_at', direction: 'desc', limit: 101, after: null };
  const year = new Date().getUTCFullYear();
  const listCases: [string, Partial<ClientListQuery>][] = [
    ['list: no filter, newest first', {}],
    ['list: sort by name', { sort: 'company_name', direction: 'asc' }],
    ['list: sort by last activity', { sort: 'last_activity_at', direction: 'desc' }],
    ['list: status active', { statuses: ['active'] }],
    ['list: status paused + inactive', { statuses: ['paused', 'inactive'] }],
    ['list: one area', { areaIds: [areas[0]!.id] }],
    ['list: three areas + status, by name', { areaIds: areas.map((a) => a.id), statuses: ['active'], sort: 'company_name', direction: 'asc' }],
    ['list: owner + created this year', { ownerIds: [owner], createdFrom: `${year}-01-01` }],
    ['list: created last 30 days', { createdFrom: new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10) }],
    ['list: everything combined', { statuses: ['active', 'paused'], areaIds: [areas[1]!.id], ownerIds: [owner], createdFrom: `${year - 2}-01-01`, sort: 'company_name', direction: 'asc' }],
  ];
  const inputOf = (q: ClientListQuery) => ({ search: q.search, statuses: q.statuses, areaIds: q.areaIds, ownerIds: q.ownerIds, createdFrom: q.createdFrom, createdTo: q.createdTo, sort: q.sort, direction: q.direction, limit: 100 });
  // Warm-up before any timing: without it the first case measured V8 compiling the handler path (5 warm-up
  // calls leave it interpreted for most of the samples) against native code on the raw side — the same case
  // measured again later in the same process ran at ~1.3× instead of 2.3–3.2×. The app runs warm code.
  for (let i = 0; i < 30; i++) for (const [, patch] of listCases) await dispatch('clients.list', inputOf({ ...base, ...patch }));
  for (const [name, patch] of listCases) {
    const q = { ...base, ...patch };
    const input = inputOf(q);
    const compiled = (await listClientsQuery(runtime.ctx.db, q)).compile();
    const statement = raw.prepare(compiled.sql);
    const [handler, rawTime] = await measurePair(() => dispatch('clients.list', input), () => statement.all(...(compiled.parameters as unknown[])), iterations);
    results.push({ case: name, p50: round(handler.p50), p95: round(handler.p95), target: '≤ 10 ms', baseline: 'same SQL, raw driver', baselineP50: round(rawTime.p50), baselineP95: round(rawTime.p95), ratio: `${round(handler.p50 / rawTime.p50)}× (≤ 1.3×)` });
  }

  const nameWord = sample.company_name.split(' ').find((w) => w.length >= 5) ?? sample.company_name.slice(0, 6);
  const searchCases: [string, string][] = [
    ['search: company name substring', nameWord.slice(1, 6).toLowerCase()],
    ['search: accent-insensitive name', nameWord.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase()],
    ['search: email', sample.email.split('@')[0]!.slice(0, 8)],
    ['search: client code (lower case)', sample.code.toLowerCase()],
    ['search: contact name', contact.name.split(' ').at(-1)!.toLowerCase()],
    ['search: two words', sample.company_name.split(' ').slice(0, 2).join(' ')],
    ['search: two characters', sample.company_name.slice(0, 2)],
    ['search: FTS syntax as text', '"AND (* NEAR'],
  ];
  const naive = raw.prepare(
    `SELECT c.* FROM clients c WHERE c.archived_at IS NULL AND (c.company_name LIKE @q OR c.email LIKE @q OR c.code LIKE @q
       OR c.id IN (SELECT client_id FROM client_contacts WHERE name LIKE @q OR email LIKE @q)) ORDER BY c.created_at DESC LIMIT 100`,
  );
  for (const [name, search] of searchCases) {
    const handler = await measure(() => dispatch('clients.list', { search, limit: 100 }), iterations);
    const scan = await measure(() => naive.all({ q: `%${search}%` }), Math.max(5, Math.floor(iterations / 6)), 1);
    results.push({ case: `${name} «${search}»`, p50: round(handler.p50), p95: round(handler.p95), target: '≤ 10 ms', baseline: "naive LIKE '%q%'", baselineP50: round(scan.p50), baselineP95: round(scan.p95), ratio: `${round(scan.p50 / handler.p50, 1)}× faster (≥ 20×)` });
  }

  for (const [name, filter] of [
    ['metrics: no filter', {}],
    ['metrics: status active', { statuses: ['active'] }],
    ['metrics: one area + this year', { areaIds: [areas[0]!.id], createdFrom: `${year}-01-01` }],
    ['metrics: search', { search: nameWord.slice(1, 6).toLowerCase() }],
  ] as const) {
    const m = await measure(() => dispatch('clients.metrics', filter), Math.max(10, Math.floor(iterations / 3)));
    results.push({ case: name, p50: round(m.p50), p95: round(m.p95), target: '≤ 50 ms' });
  }

  const dashboard = await measure(() => dispatch('dashboard.stats', {}), Math.max(10, Math.floor(iterations / 3)));
  results.push({ case: 'dashboard: every chart (areas, new clients, events, jobs, forecast)', p50: round(dashboard.p50), p95: round(dashboard.p95), target: '≤ 50 ms (ours)' });

  const detail = await measure(async () => {
    await Promise.all([
      dispatch('clients.get', { id: sample.id }),
      dispatch('contacts.list', { clientId: sample.id }),
      dispatch('clients.history', { clientId: sample.id, limit: 20 }),
    ]);
  }, iterations);
  results.push({ case: 'client detail: profile, counts, contacts, history', p50: round(detail.p50), p95: round(detail.p95), target: '≤ 10 ms' });

  // The duplicate engine, as the client modal calls it on every pause in typing: each check against its floor,
  // the engine's own candidate lookup (the same statement and keys) on the raw driver; the rest is comparing.
  // A client a third of the way in whose name has a brand long enough to carry a typo (most seeded names do).
  const twins = raw.prepare(`SELECT company_name, email, website FROM clients WHERE website IS NOT NULL ORDER BY seq LIMIT 50 OFFSET ?`).all(Math.floor(clients / 3)) as { company_name: string; email: string; website: string }[];
  const longest = (name: string) => [...readCompanyName(name).distinctive].sort((a, b) => b.length - a.length)[0] ?? '';
  const twin = twins.find((t) => longest(t.company_name).length >= 5) ?? twins[0]!;
  const brand = longest(twin.company_name) || twin.company_name.split(' ')[0]!;
  const folded = foldText(twin.company_name);
  const swapped = (word: string) => (word.length > 4 ? `${word.slice(0, 2)}${word[3]}${word[2]}${word.slice(4)}` : `${word}x`);
  const host = new URL(twin.website).hostname.replace(/^www\./, '');
  const checks: [string, { companyName: string; email: string; website?: string | null }][] = [
    ['duplicates: same name, other legal form', { companyName: twin.company_name.toUpperCase().replace(/[.,]/g, ''), email: 'someone@example.org' }],
    ['duplicates: typo in the brand', { companyName: folded.replace(brand, swapped(brand)), email: 'a.person@gmail.com' }],
    ['duplicates: brand alone', { companyName: brand, email: 'info@unrelated.example' }],
    ['duplicates: subdomain of a website', { companyName: 'Quorblax Trading', email: 'x@gmail.com', website: `https://careers.${host}/jobs` }],
    ['duplicates: a new company', { companyName: 'Zyxwvut Quorblax', email: 'hello@zyxwvut.example' }],
  ];
  const floor = raw.prepare(candidateSql);
  for (const [name, input] of checks) {
    const keys = candidateParams(companyMatchKeys({ company_name: input.companyName, email: input.email, website: input.website ?? null }), null);
    const found = await dispatch('clients.checkDuplicates', input);
    for (let i = 0; i < 30; i++) await dispatch('clients.checkDuplicates', input);
    const [engine, lookup] = await measurePair(() => dispatch('clients.checkDuplicates', input), () => floor.all(...keys), iterations);
    const check = found.ok ? (found.data as { blocking: unknown[]; warnings: unknown[] }) : null;
    const outcome = check ? `${check.blocking.length} block, ${check.warnings.length} warn` : 'refused';
    results.push({ case: `${name} (${outcome})`, p50: round(engine.p50), p95: round(engine.p95), target: '≤ 2 ms', baseline: 'its candidate lookup, raw driver', baselineP50: round(lookup.p50), baselineP95: round(lookup.p95), ratio: `${round(engine.p50 / lookup.p50)}×` });
  }

  await runtime.close();
  await measureRenderer(sample.company_name);
  results.push(...(await measureTransfer({ databaseFile: file, dataDir: dir, clients })));
}

/**
 * Two functions timed in alternating blocks of five calls. The handler-vs-raw-driver ratio used to time one
 * side after the other, so any change in machine speed between the two (this VM's neighbours: the same raw
 * query took 0.33 ms in one block and 0.46–0.83 ms in the next) landed whole in the ratio, down to ratios
 * under 1× for a handler that runs the very same SQL plus more. Alternating gives both sides the same machine.
 */
async function measurePair(a: () => unknown, b: () => unknown, iterations: number, block = 5) {
  for (let i = 0; i < 5; i++) {
    await a();
    await b();
  }
  const samples: [number[], number[]] = [[], []];
  for (let done = 0; done < iterations; done += block) {
    for (const [fn, times] of [[a, samples[0]], [b, samples[1]]] as const) {
      for (let i = 0; i < block; i++) {
        const start = process.hrtime.bigint();
        await fn();
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
  }
  const stat = (times: number[]) => {
    times.sort((x, y) => x - y);
    return { p50: times[Math.floor(times.length / 2)]!, p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]! };
  };
  return [stat(samples[0]), stat(samples[1])] as const;
}

/** Page load to list visible, and typing to updated results, in Chromium against the browser shell. */
async function measureRenderer(companyName: string) {
  const { chromium } = await import('@playwright/test');
  const { build } = await import('vite');
  const { startWebShell } = await import('../../main/web/server');
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
  const shell = await startWebShell({ databaseFile: file, port: 0, staticDir: path.resolve('out/web'), dataDir: dir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const loads: number[] = [];
    const typing: number[] = [];
    const term = companyName.split(' ').find((w) => w.length >= 6) ?? companyName.slice(0, 6);
    for (let i = 0; i < 7; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      // Each run starts from a clean list: no search or filter left from the previous one.
      await fetch(`http://127.0.0.1:${shell.port}/api/settings.set`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${shell.token}` },
        body: JSON.stringify({ clientsListQuery: null }),
      });
      const start = performance.now();
      await page.goto(shell.url);
      await page.getByRole('table', { name: 'Clients' }).getByRole('row').nth(1).waitFor();
      loads.push(performance.now() - start);

      // The summary metrics load after the rows; a user starts typing once the page has settled.
      await page.waitForLoadState('networkidle');
      const box = page.getByRole('textbox', { name: 'Search clients' });
      await box.click();
      // Timed inside the page: the last keydown, and the first change of the list that shows only matches.
      const folded = term.toLowerCase().normalize('NFD').replace(/\p{Diacritic}/gu, '');
      await page.evaluate((t) => {
        const w = window as unknown as { lastKey: number; updated: number };
        w.lastKey = 0;
        w.updated = 0;
        document.addEventListener('keydown', () => (w.lastKey = performance.now()), true);
        // No named helpers in here: tsx would wrap them in a function the page does not have.
        new MutationObserver(() => {
          const rows = [...document.querySelectorAll('[role="table"] [role="row"][aria-rowindex]')].filter((r) => r.textContent);
          const all = rows.every((r) => (r.textContent ?? '').toLowerCase().normalize('NFD').replace(/\p{Diacritic}/gu, '').includes(t));
          if (!w.updated && rows.length && all) w.updated = performance.now();
        }).observe(document.querySelector('[role="table"]')!, { subtree: true, childList: true, characterData: true });
      }, folded);
      await box.pressSequentially(term, { delay: 0 });
      const elapsed = await page.waitForFunction(() => {
        const w = window as unknown as { lastKey: number; updated: number };
        return w.updated ? w.updated - w.lastKey : null;
      });
      typing.push((await elapsed.jsonValue()) as number);
      await page.close();
    }
    const stat = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { p50: round(sorted[Math.floor(sorted.length / 2)]!), p95: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!) };
    };
    results.push({ case: `renderer: page load to list visible (${clients} clients)`, ...stat(loads.slice(1)), target: '≤ 1 000 ms' });
    results.push({ case: `renderer: last keystroke to updated results «${term}»`, ...stat(typing.slice(1)), target: '≤ 150 ms (debounce 60 ms included)' });
  } finally {
    await browser.close();
    await shell.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
