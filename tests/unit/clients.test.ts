import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { Client } from '../../contract/clients';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;
let areas: Area[];

beforeEach(async () => {
  rt = await testRuntime();
  areas = await rt.call<Area[]>('areas.list');
});
afterEach(() => rt.dispose());

describe('clients.create', () => {
  it('creates a client with a readable code, normalised keys and a change-log row in one go', async () => {
    const client = await rt.call<Client>('clients.create', {
      companyName: '  Telefónica S.A. ',
      email: 'Compras@Telefonica.ES',
      areaId: areas[0]!.id,
      website: 'www.telefonica.es/empresas',
    });
    expect(client.companyName).toBe('Telefónica S.A.');
    expect(client.code).toMatch(/^CL-[0-9A-HJKMNP-TV-Z]{4}-0001$/);
    expect(client.website).toBe('https://www.telefonica.es/empresas');
    expect(client.status).toBe('active');
    const row = await rt.db.selectFrom('clients').select(['name_key', 'email_key', 'domain_key']).executeTakeFirstOrThrow();
    expect(row).toEqual({ name_key: 'telefonica', email_key: 'compras@telefonica.es', domain_key: 'telefonica.es' });
    const log = await rt.db.selectFrom('change_log').selectAll().where('entity', '=', 'client').execute();
    expect(log).toHaveLength(1);
    expect(log[0]!.operation).toBe('create');
    expect(JSON.parse(log[0]!.changes).company_name).toEqual({ old: null, new: 'Telefónica S.A.' });
  });

  it('refuses bad input with VALIDATION field paths and writes nothing', async () => {
    const result = await rt.dispatch('clients.create', { companyName: '  ', email: 'not-an-email', areaId: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.fields?.map((f) => f.path).sort()).toEqual(['areaId', 'companyName', 'email']);
    const count = await rt.db.selectFrom('clients').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    expect(await rt.db.selectFrom('change_log').selectAll().where('entity', '=', 'client').execute()).toHaveLength(0);
  });

  it('refuses an unknown area inside the transaction and writes nothing', async () => {
    const result = await rt.dispatch('clients.create', { companyName: 'Acme', email: 'a@acme.com', areaId: 'nope' });
    expect(result.ok ? null : result.error.code).toBe('VALIDATION');
    expect(await rt.db.selectFrom('change_log').selectAll().where('entity', '=', 'client').execute()).toHaveLength(0);
  });

  it('blocks the same email in another case as a DUPLICATE naming the existing client', async () => {
    const first = await rt.call<Client>('clients.create', { companyName: 'Acme Corp', email: 'info@acme.com', areaId: areas[0]!.id });
    const result = await rt.dispatch('clients.create', { companyName: 'Other name', email: ' INFO@ACME.COM ', areaId: areas[1]!.id });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('DUPLICATE');
    expect(result.error.matches).toEqual([expect.objectContaining({ id: first.id, reasons: expect.arrayContaining(['email']) })]);
  });

  it('hands out consecutive codes', async () => {
    const a = await rt.call<Client>('clients.create', { companyName: 'Alpha', email: 'a@alpha.com', areaId: areas[0]!.id });
    const b = await rt.call<Client>('clients.create', { companyName: 'Beta', email: 'b@beta.com', areaId: areas[0]!.id });
    expect(a.code.endsWith('-0001')).toBe(true);
    expect(b.code.endsWith('-0002')).toBe(true);
  });
});

describe('clients.list', () => {
  it('pages by keyset without gaps or repeats and finds accent-insensitive substrings', async () => {
    const names = ['Telefónica S.A.', 'Banco Santander', 'Iberdrola', 'Mercadona', 'Inditex', 'Repsol', 'Acciona'];
    for (const [i, name] of names.entries()) {
      await rt.call('clients.create', { companyName: name, email: `info${i}@example${i}.com`, areaId: areas[0]!.id });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { rows: { companyName: string }[]; nextCursor: string | null } = await rt.call('clients.list', { sort: 'company_name', direction: 'asc', limit: 3, cursor });
      seen.push(...page.rows.map((r) => r.companyName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].sort((a, b) => a.localeCompare(b)));

    const found = await rt.call<{ rows: { companyName: string }[] }>('clients.list', { search: 'telefonica' });
    expect(found.rows.map((r) => r.companyName)).toEqual(['Telefónica S.A.']);
    const short = await rt.call<{ rows: { companyName: string }[] }>('clients.list', { search: 'ib' });
    expect(short.rows.map((r) => r.companyName)).toEqual(['Iberdrola']);
    const syntax = await rt.dispatch('clients.list', { search: '"AND (* NEAR -' });
    expect(syntax.ok).toBe(true);
  });
});
