import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations, type Migration } from '../../db/migrations';
import { openDatabase } from '../../db/open';
import { DatabaseRefusedError } from '../../db/refuse';
import { startRuntime } from '../../main/runtime';
import { createDispatcher } from '../../main/dispatch';
import { matchKeysVersion } from '../../contract/companies';
import { tagSourcesSettingKey, tagSourcesVersion } from '../../db/sync/candidates';
import { clientKeys } from '../../db/sync/matchKeys';
import { fixtureFile, sampleRows, storedColumns } from '../fixtures/schema-fixtures';

// Every earlier schema upgrades to today's with its rows intact; the file is backed up first; a failing
// migration, a newer database or a foreign file leave the file exactly as it was. The cases come from the
// `migrations` list itself, so a migration added later is run against every older fixture, and the schema it
// replaces needs a fixture of its own (npm run fixtures:schemas) before the next one lands.

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-migrations-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const latest = migrations.length - 1;

function copyOf(fixture: string, name = 'clients.sqlite'): string {
  const file = path.join(dir, name);
  fs.copyFileSync(fixture, file);
  return file;
}

function readOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Every row of the tables the fixture wrote (not the ones derived from them), on the columns the fixture had. */
function baseRows(file: string, columnsOf: (table: string) => string[] | null = () => null): Record<string, string[]> {
  return readOnly(file, (db) => {
    const out: Record<string, string[]> = {};
    for (const table of Object.keys(sampleRows)) {
      const columns = columnsOf(table) ?? storedColumns(db, table);
      if (!columns?.length) continue;
      out[table] = (db.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).all() as Record<string, unknown>[]).map((row) => JSON.stringify(row)).sort();
    }
    return out;
  });
}

/**
 * The one change upgrades make to existing rows on purpose: from 0007 the built-in areas have the same id on
 * every device (`area-<key>`), and every reference to them follows (ids are UUIDs, so replacing the text is exact).
 */
function renamedByMigrations(fixtureIndex: number, rows: Record<string, string[]>, file: string): Record<string, string[]> {
  if (fixtureIndex >= migrations.findIndex((m) => m.name === '0007-sync-log')) return rows;
  const areas = readOnly(file, (db) => db.prepare('SELECT id, key FROM areas WHERE key IS NOT NULL').all() as { id: string; key: string }[]);
  const renamed = areas.filter((a) => a.id === `area-${a.key}`).map((a) => a.key);
  const byKey = new Map<string, string>();
  for (const [table, list] of Object.entries(rows)) {
    if (table !== 'areas') continue;
    for (const row of list) {
      const area = JSON.parse(row) as { id: string; key: string | null };
      if (area.key && renamed.includes(area.key)) byKey.set(area.id, `area-${area.key}`);
    }
  }
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.map((row) => [...byKey].reduce((text, [from, to]) => text.replaceAll(from, to), row)).sort()]));
}

/**
 * What opening a database recomputes (db/sync/matchKeys.ts `ensureMatchKeys`): the clients' derived name and
 * domain keys, as the duplicate rules of this version read them, and the stamp of the version that built them;
 * and the stamp of the candidates' tag and source counts (db/sync/candidates.ts `ensureCandidateTagSources`).
 */
function derivedAtOpen(rows: Record<string, string[]>): Record<string, string[]> {
  const clients = (rows.clients ?? []).map((row) => {
    const client = JSON.parse(row) as Record<string, unknown>;
    return JSON.stringify({ ...client, ...('name_key' in client ? clientKeys(client) : {}) });
  });
  const settings = [
    ...(rows.settings ?? []),
    JSON.stringify({ key: 'duplicates.match_keys_version', value: String(matchKeysVersion) }),
    JSON.stringify({ key: tagSourcesSettingKey, value: String(tagSourcesVersion) }),
  ];
  return { ...rows, clients: clients.sort(), settings: settings.sort() };
}

function schemaOf(file: string): string[] {
  return readOnly(file, (db) =>
    (db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name <> 'schema_migrations' ORDER BY type, name`).all() as Record<string, unknown>[]).map((row) => JSON.stringify(row)),
  );
}

const appliedIn = (file: string) => readOnly(file, (db) => (db.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name));

/** The files in the folder, so a refusal can be shown to leave no -wal, -shm or backup behind. */
const folder = () => fs.readdirSync(dir).sort();

async function freshSchema(): Promise<string[]> {
  const file = path.join(dir, 'fresh.sqlite');
  await (await openDatabase(file)).close();
  const schema = schemaOf(file);
  fs.rmSync(file);
  return schema;
}

describe.each(migrations.map((migration, index) => ({ migration, index })))('a database at schema $migration.name', ({ migration, index }) => {
  const fixture = fixtureFile(migration.name);
  // The newest schema's fixture may not exist yet: it is needed once a later migration replaces it.
  const present = fs.existsSync(fixture);
  if (index < latest) {
    it('has a fixture (npm run fixtures:schemas builds it)', () => {
      expect(present, `${fixture} is missing: run npm run fixtures:schemas`).toBe(true);
    });
  }

  it.runIf(present)('upgrades to the current schema with every row intact, after a backup at its own schema', async () => {
    const file = copyOf(fixture);
    const before = baseRows(file);
    expect(Object.values(before).every((rows) => rows.length > 0)).toBe(true);
    const fixtureColumns = readOnly(file, (db) => Object.fromEntries(Object.keys(sampleRows).map((t) => [t, storedColumns(db, t)])));
    expect(appliedIn(file)).toEqual(migrations.slice(0, index + 1).map((m) => m.name).sort());

    const database = await openDatabase(file, { backupDir: path.join(dir, 'backups') });
    expect(database.schemaVersion).toBe(migrations.length);
    await database.close();

    expect(appliedIn(file)).toEqual(migrations.map((m) => m.name).sort());
    expect(schemaOf(file)).toEqual(await freshSchema());
    // Tables a later migration added are new and empty here: compared are the ones the fixture had.
    const after = Object.entries(baseRows(file, (table) => fixtureColumns[table] ?? null)).filter(([table]) => fixtureColumns[table]);
    expect(Object.fromEntries(after)).toEqual(derivedAtOpen(renamedByMigrations(index, before, file)));

    if (index === latest) {
      expect(database.backupFile).toBeNull();
      return;
    }
    // The backup is the database as it was: its schema, its migrations, its rows.
    expect(database.backupFile).not.toBeNull();
    expect(fs.existsSync(database.backupFile!)).toBe(true);
    expect(path.basename(database.backupFile!)).toMatch(new RegExp(`^before-${migrations[index + 1]!.name}-`));
    expect(appliedIn(database.backupFile!)).toEqual(migrations.slice(0, index + 1).map((m) => m.name).sort());
    expect(schemaOf(database.backupFile!)).toEqual(schemaOf(fixture));
    expect(baseRows(database.backupFile!)).toEqual(before);
  });

  it.runIf(present)('is read by the app after the upgrade: lists, a client with its contacts, events and postings, metrics, dashboard', async () => {
    const file = copyOf(fixture);
    const runtime = await startRuntime({ databaseFile: file, dataDir: dir, shell: 'browser', appVersion: 'test', now: () => new Date('2026-03-01T00:00:00.000Z') });
    try {
      const errors: unknown[] = [];
      const dispatch = createDispatcher(runtime.ctx, { logError: (_channel, error) => errors.push(error) });
      const call = async (channel: string, input: unknown = {}) => {
        const result = await dispatch(channel, input);
        if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)} ${String(errors.at(-1) ?? '')}`);
        return result.data as Record<string, unknown>;
      };
      const list = (await call('clients.list', { includeArchived: true, sort: 'company_name', direction: 'asc' })) as { rows: { companyName: string }[] };
      expect(list.rows.map((r) => r.companyName)).toEqual(['Archivada SL', 'Banco Santander', 'Telefónica S.A.']);
      expect(((await call('clients.list', { search: 'nunez' })) as { rows: { companyName: string }[] }).rows.map((r) => r.companyName)).toEqual(['Telefónica S.A.']);
      const telefonica = sampleRows.clients![0]!.id as string;
      expect(((await call('contacts.list', { clientId: telefonica })) as unknown as unknown[]).length).toBe(2);
      expect(((await call('events.list', { clientId: telefonica })) as { rows: unknown[] }).rows).toHaveLength(2);
      expect(((await call('jobs.list', { clientId: telefonica })) as { rows: unknown[] }).rows).toHaveLength(2);
      expect(await call('clients.metrics', {})).toMatchObject({ total: 2 });
      await call('dashboard.stats', {});
      await call('leads.list', {});
      expect(errors).toEqual([]);
    } finally {
      await runtime.close();
    }
  });

  it.runIf(present)('is left exactly as it was when a migration fails halfway', async () => {
    const file = copyOf(fixture);
    const before = hash(file);
    const failing: Migration = {
      name: '9999-fails-halfway',
      async up(db) {
        await sql`CREATE TABLE half_done (x INTEGER)`.execute(db);
        await sql`UPDATE clients SET company_name = 'changed'`.execute(db);
        throw new Error('failed halfway');
      },
    };
    await expect(openDatabase(file, { migrations: [...migrations, failing], backupDir: path.join(dir, 'backups') })).rejects.toThrow('failed halfway');
    expect(hash(file)).toBe(before);
    expect(folder()).toEqual(['backups', 'clients.sqlite']);
    // And it opens again, at the schema it had, with the migrations that did not fail.
    expect(appliedIn(file)).toEqual(migrations.slice(0, index + 1).map((m) => m.name).sort());
  });
});

describe('databases this version must not open', () => {
  it('refuses a database from a newer version untouched: no WAL switch, no pragma, no table, no backup', async () => {
    // The newest fixture there is, told of a migration this version does not have.
    const newest = [...migrations].reverse().map((m) => fixtureFile(m.name)).find((f) => fs.existsSync(f))!;
    const file = copyOf(newest);
    const writer = new Database(file);
    writer.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run('9000-from-the-future', '2027-01-01T00:00:00.000Z');
    writer.close();
    const before = hash(file);
    const listing = folder();
    const refused = await openDatabase(file).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DatabaseRefusedError);
    expect(refused).toMatchObject({ reason: 'newer_database' });
    expect((refused as Error).message).toMatch(/newer version of Clients.*Update the app/);
    expect(hash(file)).toBe(before);
    expect(folder()).toEqual(listing);
  });

  it('refuses an SQLite file of another program untouched, in rollback-journal and in WAL mode', async () => {
    for (const mode of ['delete', 'wal']) {
      const file = path.join(dir, `notes-${mode}.sqlite`);
      const other = new Database(file);
      other.pragma(`journal_mode = ${mode}`);
      other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine'), ('also mine')`);
      other.close();
      const before = hash(file);
      const listing = folder();
      await expect(openDatabase(file)).rejects.toMatchObject({ reason: 'foreign_database' });
      expect(hash(file)).toBe(before);
      expect(folder()).toEqual(listing);
    }
  });

  it('refuses another program\'s database even when it keeps a schema_migrations table of its own', async () => {
    for (const [name, setup] of [
      ['rails.sqlite', `CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101000000'); CREATE TABLE posts (id INTEGER PRIMARY KEY)`],
      ['other.sqlite', `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT); INSERT INTO schema_migrations VALUES ('create-posts', 'x'); CREATE TABLE posts (id INTEGER PRIMARY KEY)`],
    ] as const) {
      const file = path.join(dir, name);
      const other = new Database(file);
      other.exec(setup);
      other.close();
      const before = hash(file);
      await expect(openDatabase(file)).rejects.toMatchObject({ reason: 'foreign_database' });
      expect(hash(file)).toBe(before);
    }
  });

  it('refuses a file that is not SQLite at all, untouched', async () => {
    const file = path.join(dir, 'clients.sqlite');
    fs.writeFileSync(file, 'name,email\nAcme,info@acme.com\n');
    const before = hash(file);
    await expect(openDatabase(file)).rejects.toMatchObject({ reason: 'foreign_database' });
    expect(hash(file)).toBe(before);
    expect(folder()).toEqual(['clients.sqlite']);
  });

  it('still opens an empty file and an SQLite file without tables as a new database', async () => {
    for (const name of ['empty.sqlite', 'blank.sqlite']) {
      const file = path.join(dir, name);
      if (name === 'empty.sqlite') fs.writeFileSync(file, '');
      else {
        const blank = new Database(file);
        blank.pragma('user_version = 0');
        blank.exec('VACUUM');
        blank.close();
      }
      const database = await openDatabase(file);
      expect(database.schemaVersion).toBe(migrations.length);
      expect(database.backupFile).toBeNull();
      await database.close();
    }
  });
});
