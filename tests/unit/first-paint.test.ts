import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Area } from '../../contract/areas';
import type { ClientRow } from '../../contract/clients';
import type { Dispatch } from '../../main/dispatch';
import { firstPaintMarkup, splitForFirstPaint } from '../../main/firstPaint';
import { renderFirstPaint } from '../../renderer/firstPaint';
import { ratioText, missesOf } from '../bench/stats';
import { testRuntime } from '../support/runtime';

let rt: Awaited<ReturnType<typeof testRuntime>>;

beforeEach(async () => {
  rt = await testRuntime();
  const areaId = (await rt.call<Area[]>('areas.list'))[0]!.id;
  for (const [name, domain] of [['Acme Logística', 'acme'], ['Telefónica Madrid', 'telefonica'], ['Zeta Foods', 'zeta']]) await rt.call('clients.create', { companyName: name, email: `info@${domain}.com`, areaId });
});
afterEach(() => rt.dispose());

const dispatch: Dispatch = (channel, input) => rt.dispatch(channel, input);
const codesIn = (html: string) => [...html.matchAll(/CL-[A-Z0-9]+-\d+/g)].map((m) => m[0]);

describe('first paint of the clients list', () => {
  it('draws the rows the app then asks for, in its order, inert and hidden from assistive technology', async () => {
    const html = await firstPaintMarkup(dispatch, renderFirstPaint);
    const list = await rt.call<{ rows: ClientRow[] }>('clients.list', { limit: 100 });
    expect(html).toMatch(/^<style>.*<\/style><div id="first-paint" inert aria-hidden="true">/s);
    expect([...new Set(codesIn(html))]).toEqual(list.rows.map((r) => r.code));
    expect(html).toContain('Telefónica Madrid');
  });

  it('follows the saved search and the language the app opens with', async () => {
    await rt.call('settings.set', { language: 'es', clientsListQuery: { search: 'telefonica' } });
    const html = await firstPaintMarkup(dispatch, renderFirstPaint);
    expect(html).toContain('Clientes');
    expect(html).toContain('Telefónica');
    expect(html).not.toContain('Zeta Foods');
  });

  it('draws nothing when an answer it needs fails: the app then says why itself', async () => {
    const failing: Dispatch = (channel, input) => (channel === 'clients.list' ? Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'x' } }) : dispatch(channel, input));
    expect(await firstPaintMarkup(failing, renderFirstPaint)).toBe('');
  });

  it('goes right before the app root of index.html', () => {
    expect(splitForFirstPaint('<head></head><body><div id="root"></div></body>')).toEqual(['<head></head><body>', '<div id="root"></div></body>']);
  });
});

describe('bench printer', () => {
  it('marks a missed target, p50 target and ratio target, and leaves untargeted lines unchecked', () => {
    expect(missesOf({ case: 'a', p50: 5, p95: 12, target: '≤ 10 ms' })).toEqual(['p95']);
    expect(missesOf({ case: 'b', p50: 900, p95: 1500, target: 'p50 ≤ 1 000 ms' })).toEqual([]);
    expect(missesOf({ case: 'c', p50: 15000, p95: 15000, target: '≥ 20 000 rows/s', ratio: ratioText(0.7, 'the ceiling', '≥ 0.8×') })).toEqual(['p95', 'ratio']);
    expect(missesOf({ case: 'd', p50: 1, p95: 1, target: 'no target', ratio: ratioText(3, 'the INSERT') })).toEqual([]);
  });
});
