import type Database from 'better-sqlite3';
import { companyKey, companyMatchKeys } from '../../contract/companies';
import { websiteDomain } from '../../contract/domains';
import { normalizeEmail, stripAccents } from '../../contract/normalize';
import { formatHlc } from '../../contract/sync';
import { clientSearchText } from '../sync/derived';
import { rebuildEventMonthCountsSql } from '../repositories/dashboard';
import { rebuildClientStatsSql } from '../repositories/metrics';
import { randomCodeTag } from '../../contract/sync';
import { formatCode } from '../repositories/codes';
import * as w from './words';

export interface SeedTarget {
  sqlite: Database.Database;
}

export interface SeedOptions {
  clients: number;
  seed?: number;
  /** "Now" for the generated history; fixed by default so the same seed gives the same data. */
  now?: Date;
  batchSize?: number;
  onProgress?: (done: number, total: number, phase: string) => void;
  signal?: AbortSignal;
}

export interface SeedSummary {
  clients: number;
  contacts: number;
  events: number;
  jobs: number;
  leads: number;
  users: number;
  aborted: boolean;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      let r = next() * items.reduce((s, [, weight]) => s + weight, 0);
      for (const [item, weight] of items) if ((r -= weight) < 0) return item;
      return items.at(-1)![0];
    },
  };
}
type Rng = ReturnType<typeof prng>;

const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0').slice(-width);

/** A UUIDv7-shaped id from a timestamp and the seeded generator, so ids are time-ordered and reproducible. */
function uuid7(ms: number, rng: Rng): string {
  const time = hex(ms, 12);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(rng.next() * 0x1000, 3)}-${hex(0x8000 + rng.next() * 0x4000, 4)}-${hex(rng.next() * 0x1000000, 6)}${hex(rng.next() * 0x1000000, 6)}`;
}

const slug = (text: string) =>
  stripAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 28);

function readSetting(sqlite: Database.Database, key: string): unknown {
  const row = sqlite.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? JSON.parse(row.value) : undefined;
}

/** Device identity as the app keeps it (settings deviceId / deviceTag), created the same way when missing. */
function deviceIdentity(sqlite: Database.Database, rng: Rng) {
  let deviceId = readSetting(sqlite, 'deviceId');
  let deviceTag = readSetting(sqlite, 'deviceTag');
  if (typeof deviceId !== 'string' || typeof deviceTag !== 'string') {
    deviceId = uuid7(Date.UTC(2024, 0, 1), rng);
    deviceTag = randomCodeTag(rng.next);
    const upsert = sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    upsert.run('deviceId', JSON.stringify(deviceId));
    upsert.run('deviceTag', JSON.stringify(deviceTag));
  }
  return { deviceId: deviceId as string, deviceTag: deviceTag as string };
}

const eventTypes = [
  ['meeting', 25],
  ['call', 25],
  ['email', 20],
  ['proposal', 8],
  ['satisfaction_survey', 6],
  ['note', 10],
  ['won_deal', 2],
  ['other', 4],
] as const;

/**
 * Generates realistic demo data in DESIGN.md's proportions (per client about 3 contacts, 10 events and
 * 2 job postings), deterministically: the same seed gives the same rows. Writes with prepared statements
 * in large transactions, which is what makes 100 000 clients take seconds rather than minutes.
 */
export async function generateDemoData(target: SeedTarget, options: SeedOptions): Promise<SeedSummary> {
  const { sqlite } = target;
  const rng = prng(options.seed ?? 42);
  const now = (options.now ?? new Date(Date.UTC(2026, 10, 1, 12))).getTime();
  const batchSize = options.batchSize ?? 2000;
  const total = options.clients;
  const { deviceId, deviceTag } = deviceIdentity(sqlite, rng);
  const summary: SeedSummary = { clients: 0, contacts: 0, events: 0, jobs: 0, leads: 0, users: 0, aborted: false };

  const areas = (sqlite.prepare('SELECT id FROM areas WHERE active = 1 ORDER BY sort_order').all() as { id: string }[]).map((a) => a.id);
  if (!areas.length) throw new Error('The database has no areas: open it with the app (or ensureReferenceData) first.');

  // A team of a dozen people owns the clients and runs the events.
  const users = (sqlite.prepare('SELECT id FROM users').all() as { id: string }[]).map((u) => u.id);
  const insertUser = sqlite.prepare('INSERT INTO users (id, name, email, active, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 0; users.length < 12; i++) {
      const spanish = i % 2 === 0;
      const first = rng.pick(spanish ? w.esFirstNames : w.enFirstNames);
      const last = rng.pick(spanish ? w.esLastNames : w.enLastNames);
      const at = new Date(now - 1200 * 86_400_000).toISOString();
      const id = uuid7(now - 1200 * 86_400_000 + i, rng);
      insertUser.run(id, `${first} ${last}`, `${slug(first)}.${slug(last)}@agency.example`, at, at);
      users.push(id);
      summary.users++;
    }
  })();

  const codePrefix = `CL-${deviceTag}`;
  const jobPrefix = `JB-${deviceTag}`;
  const counter = sqlite.prepare('SELECT next_value FROM code_counters WHERE prefix = ?');
  let clientNo = ((counter.get(codePrefix) as { next_value: number } | undefined)?.next_value ?? 1) - 1;
  let jobNo = ((counter.get(jobPrefix) as { next_value: number } | undefined)?.next_value ?? 1) - 1;
  const setCounter = sqlite.prepare('INSERT INTO code_counters (prefix, next_value) VALUES (?, ?) ON CONFLICT (prefix) DO UPDATE SET next_value = excluded.next_value');

  const insertClient = sqlite.prepare(`INSERT INTO clients (id, code, company_name, email, area_id, phone, website, comments, status, owner_id, name_key, email_key, domain_key,
    default_fee_percent, default_guarantee_days, default_payment_terms_days, lead_id, created_at, updated_at, archived_at, last_activity_at, version, search_text)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, 1, ?)`);
  const insertContact = sqlite.prepare(`INSERT INTO client_contacts (id, client_id, name, role, email, email_key, phone, is_primary, notes, created_at, updated_at, deleted_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL)`);
  const insertEvent = sqlite.prepare(`INSERT INTO events (id, client_id, lead_id, type, title, notes, occurred_at, score, amount_minor, amount_currency, proposal_state, created_by, created_at, updated_at, deleted_at)
    VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`);
  const insertOwner = sqlite.prepare('INSERT INTO event_owners (event_id, user_id) VALUES (?, ?)');
  const insertJob = sqlite.prepare(`INSERT INTO jobs (id, client_id, code, title, status, openings, location, work_mode, employment_type, salary_min_minor, salary_max_minor, salary_currency, salary_period,
    fee_type, fee_percent, fee_fixed_minor, retainer_instalments, payment_terms_days, guarantee_days, guarantee_policy, pro_rata_days, cancellation_fee_minor, clause_notes, probability, expected_close_date,
    owner_id, close_reason, created_at, updated_at, deleted_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL)`);
  const insertLead = sqlite.prepare(`INSERT INTO leads (id, company_name, contact_name, email, phone, area_id, source, stage, owner_id, expected_value_minor, expected_value_currency, lost_reason, client_id, created_at, updated_at, deleted_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'EUR', NULL, NULL, ?, ?, NULL)`);
  // History for the profile, not sync: the generator writes no complete log, so the sync job logs every record
  // once (its baseline) before this database's first push.
  const insertLog = sqlite.prepare(`INSERT INTO change_log (id, entity, entity_id, client_id, operation, changes, note, user_id, device_id, changed_at, pushed_at, device_seq, hlc)
    VALUES (?, 'client', ?, ?, 'create', ?, NULL, ?, ?, ?, NULL, NULL, ?)`);
  sqlite.prepare('UPDATE sync_clock SET baseline_needed = 1').run();
  // The duplicate engine's lookup keys, as the write path stores them with every client (db/sync/matchKeys.ts).
  const insertKey = sqlite.prepare('INSERT OR IGNORE INTO client_match_keys (key, client_id) VALUES (?, ?)');

  const usedNames = new Set<string>((sqlite.prepare('SELECT name_key FROM clients').all() as { name_key: string }[]).map((r) => r.name_key));
  const companyName = (spanish: boolean): string => {
    for (let attempt = 0; ; attempt++) {
      const name = spanish
        ? [rng.pick(w.esPrefixes), rng.pick(w.esCores), rng.chance(0.6) ? rng.pick(w.esPlaces) : rng.pick(w.esCores), rng.pick(w.esSuffixes)].filter(Boolean).join(' ')
        : [rng.pick(w.enCores), rng.chance(0.5) ? rng.pick(w.enPlaces) : '', rng.pick(w.enSectors), rng.pick(w.enSuffixes)].filter(Boolean).join(' ');
      const key = companyKey(name);
      // Distinct normalised names, as the app's duplicate rules would enforce; rare collisions get a branch number.
      const unique = attempt < 8 ? name : `${name} ${attempt}`;
      const uniqueKey = attempt < 8 ? key : companyKey(unique);
      if (!usedNames.has(uniqueKey)) {
        usedNames.add(uniqueKey);
        return unique;
      }
    }
  };
  const phone = (spanish: boolean) =>
    spanish ? `+34 9${rng.int(10, 88)} ${rng.int(100, 999)} ${rng.int(100, 999)}` : `+44 20 ${rng.int(7000, 8999)} ${rng.int(1000, 9999)}`;

  const day = 86_400_000;
  const span = 3 * 365 * day;
  const perBatch = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const spanish = rng.chance(0.65);
      const createdMs = now - span + Math.floor(((i + rng.next()) / total) * span);
      const created = new Date(createdMs).toISOString();
      const id = uuid7(createdMs, rng);
      const name = companyName(spanish);
      const tld = spanish ? (rng.chance(0.7) ? 'es' : 'com') : rng.pick(['com', 'co.uk', 'io']);
      const domain = `${slug(name)}.${tld}`;
      const email = `${rng.pick(spanish ? ['info', 'rrhh', 'contacto', 'administracion'] : ['info', 'hr', 'hello', 'talent'])}@${domain}`;
      const website = rng.chance(0.85) ? `https://www.${domain}` : null;
      const status = rng.weighted([['active', 75], ['paused', 15], ['inactive', 10]] as const);
      const owner = rng.pick(users);
      clientNo++;
      const code = formatCode(codePrefix, clientNo);
      const contacts = Array.from({ length: rng.int(1, 5) }, (_, c) => {
        const first = rng.pick(spanish ? w.esFirstNames : w.enFirstNames);
        const last = rng.pick(spanish ? w.esLastNames : w.enLastNames);
        return { name: `${first} ${last}`, email: `${slug(first)}.${slug(last)}${c}@${domain}` };
      });
      insertClient.run(
        id, code, name, email, rng.pick(areas), phone(spanish), website,
        rng.chance(0.2) ? (spanish ? 'Cliente estratégico: priorizar perfiles técnicos.' : 'Key account: prioritise technical profiles.') : null,
        status, owner, companyKey(name), normalizeEmail(email), websiteDomain(website),
        rng.chance(0.7) ? rng.pick([15, 18, 20, 22, 25]) : null, rng.chance(0.7) ? rng.pick([30, 60, 90]) : null, rng.chance(0.7) ? rng.pick([30, 45, 60]) : null,
        created, created, clientSearchText({ company_name: name, email, code }, contacts),
      );
      for (const key of companyMatchKeys({ company_name: name, email, website })) insertKey.run(key, id);
      insertLog.run(uuid7(createdMs, rng), id, id, JSON.stringify({ company_name: { old: null, new: name }, email: { old: null, new: email }, status: { old: null, new: status } }), owner, deviceId, created, formatHlc(createdMs, 0, deviceId));
      summary.clients++;

      for (const [c, contact] of contacts.entries()) {
        insertContact.run(uuid7(createdMs + c, rng), id, contact.name, rng.pick(spanish ? w.esRoles : w.enRoles), contact.email, contact.email, phone(spanish), c === 0 ? 1 : 0, created, created);
        summary.contacts++;
      }

      const events = rng.int(5, 15);
      for (let e = 0; e < events; e++) {
        const type = rng.weighted(eventTypes);
        // Never after "now": the newest clients get their history within the time they have existed.
        const atMs = createdMs + Math.floor(rng.next() * (now - createdMs));
        const at = new Date(atMs).toISOString();
        const eventId = uuid7(atMs, rng);
        const titles = w.eventTitles[type]!;
        insertEvent.run(
          eventId, id, type, rng.pick(spanish ? titles.es : titles.en), rng.chance(0.3) ? (spanish ? 'Notas de la reunión disponibles.' : 'Notes available.') : null, at,
          type === 'satisfaction_survey' ? rng.int(5, 10) : null,
          type === 'proposal' ? rng.int(30, 250) * 10_000 : null, type === 'proposal' ? 'EUR' : null,
          type === 'proposal' ? rng.pick(['sent', 'accepted', 'rejected'] as const) : null,
          owner, at, at,
        );
        insertOwner.run(eventId, owner);
        if (rng.chance(0.4)) {
          const second = rng.pick(users);
          if (second !== owner) insertOwner.run(eventId, second);
        }
        summary.events++;
      }

      const jobs = rng.int(1, 3);
      for (let j = 0; j < jobs; j++) {
        const jobCreatedMs = createdMs + Math.floor(rng.next() * (now - createdMs));
        const at = new Date(jobCreatedMs).toISOString();
        const status = rng.weighted([['draft', 10], ['open', 35], ['on_hold', 10], ['filled', 35], ['cancelled', 10]] as const);
        const period = rng.weighted([['year', 80], ['month', 15], ['hour', 5]] as const);
        const currency = spanish ? 'EUR' : rng.pick(['GBP', 'USD', 'EUR']);
        const base = period === 'year' ? rng.int(22, 90) * 100_000 : period === 'month' ? rng.int(18, 70) * 10_000 : rng.int(12, 60) * 100;
        const feeType = rng.weighted([['percentage', 75], ['fixed', 15], ['retainer', 10]] as const);
        jobNo++;
        insertJob.run(
          uuid7(jobCreatedMs, rng), id, formatCode(jobPrefix, jobNo), rng.pick(w.jobTitles), status, rng.int(1, 3),
          spanish ? rng.pick(w.esPlaces) : rng.pick(w.enPlaces), rng.pick(['onsite', 'hybrid', 'remote']), rng.pick(['full_time', 'full_time', 'part_time', 'contract', 'temporary']),
          base, Math.round(base * (1.1 + rng.next() * 0.3)), currency, period,
          feeType, feeType === 'percentage' ? rng.pick([15, 18, 20, 22, 25]) : null, feeType === 'percentage' ? null : rng.int(30, 200) * 10_000,
          feeType === 'retainer' ? 3 : null, rng.pick([30, 45, 60]), rng.pick([60, 90, 120]), rng.pick(['refund', 'replacement']), rng.pick([0, 30, 60]), rng.chance(0.3) ? rng.int(5, 30) * 10_000 : null,
          rng.pick([10, 25, 50, 75, 90]), new Date(jobCreatedMs + rng.int(20, 120) * day).toISOString().slice(0, 10),
          owner, status === 'filled' ? (spanish ? 'Candidato incorporado' : 'Candidate started') : status === 'cancelled' ? (spanish ? 'El cliente congeló la vacante' : 'Client froze the role') : null,
          at, at,
        );
        summary.jobs++;
      }

      if (rng.chance(0.1)) {
        const leadMs = createdMs - rng.int(5, 60) * day;
        const leadAt = new Date(leadMs).toISOString();
        const leadName = companyName(spanish);
        insertLead.run(
          uuid7(leadMs, rng), leadName, `${rng.pick(spanish ? w.esFirstNames : w.enFirstNames)} ${rng.pick(spanish ? w.esLastNames : w.enLastNames)}`,
          `info@${slug(leadName)}.${spanish ? 'es' : 'com'}`, phone(spanish), rng.pick(areas), rng.pick(['referral', 'website', 'linkedin', 'event', 'cold_call']),
          rng.pick(['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'lost'] as const), rng.pick(users), rng.int(5, 80) * 100_000, leadAt, leadAt,
        );
        summary.leads++;
      }
    }
    setCounter.run(codePrefix, clientNo + 1);
    setCounter.run(jobPrefix, jobNo + 1);
  };

  // Bulk load: secondary indexes and the per-row triggers (search indexes, last activity, client aggregates) are dropped
  // and rebuilt once at the end, which is several times faster than maintaining them row by row.
  // Durability per transaction is not needed while generating; the setting is restored afterwards.
  const deferred = sqlite
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (
        (type = 'index' AND tbl_name IN ('events', 'event_owners', 'jobs', 'client_contacts', 'change_log', 'clients'))
        OR (type = 'trigger' AND name IN ('events_last_activity', 'clients_search_insert',
          'client_stats_insert', 'client_stats_job_insert', 'client_stats_event_insert', 'event_month_counts_insert')))`,
    )
    .all() as { type: 'index' | 'trigger'; name: string; sql: string }[];
  const previousSync = sqlite.pragma('synchronous', { simple: true });
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  sqlite.transaction(() => {
    for (const object of deferred) sqlite.exec(`DROP ${object.type.toUpperCase()} "${object.name}"`);
  })();
  try {
    const write = sqlite.transaction(perBatch);
    for (let from = 0; from < total; from += batchSize) {
      if (options.signal?.aborted) {
        summary.aborted = true;
        break;
      }
      write(from, Math.min(total, from + batchSize));
      options.onProgress?.(Math.min(total, from + batchSize), total, 'clients');
      // Yield between batches so Ctrl+C and progress output get a turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    options.onProgress?.(summary.clients, total, 'indexes');
    sqlite.transaction(() => {
      for (const object of deferred) sqlite.exec(object.sql);
      sqlite.exec(`INSERT INTO clients_search (clients_search) VALUES ('rebuild')`);
      // What the per-client aggregate triggers would have kept (open postings, recent events, forecast).
      for (const statement of rebuildClientStatsSql) sqlite.exec(statement);
      for (const statement of rebuildEventMonthCountsSql) sqlite.exec(statement);
      // What the last-activity trigger would have kept: the newest event of each client.
      sqlite.exec(`UPDATE clients SET last_activity_at = (
        SELECT max(e.occurred_at) FROM events e WHERE e.client_id = clients.id AND e.deleted_at IS NULL)`);
    })();
    sqlite.pragma(`synchronous = ${previousSync}`);
  }
  sqlite.pragma('optimize');
  return summary;
}
