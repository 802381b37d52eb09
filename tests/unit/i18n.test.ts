import { describe, expect, it } from 'vitest';
import { translator } from '../../renderer/i18n';

describe('translations', () => {
  it('use the singular text for one and the plural for every other count', () => {
    const en = translator('en');
    expect(en('jobs.totals.open', { count: 1 })).toBe('1 open posting');
    expect(en('jobs.totals.open', { count: 0 })).toBe('0 open postings');
    expect(en('jobs.totals.open', { count: 2 })).toBe('2 open postings');
    const es = translator('es');
    expect(es('profile.days', { count: 1 })).toBe('1 día');
    expect(es('profile.days', { count: 30 })).toBe('30 días');
  });

  it('show counts in the language number format, never mistaking 1.000 for one', () => {
    expect(translator('es')('clients.matching', { count: 1000 })).toBe('1000 clientes coinciden con la búsqueda y los filtros');
    expect(translator('es')('clients.matching', { count: 12500 })).toBe('12.500 clientes coinciden con la búsqueda y los filtros');
    expect(translator('en')('clients.matching', { count: 12500 })).toBe('12,500 clients match the search and filters');
  });

  it('fall back to the plural text where a message has no singular, and leave other values as given', () => {
    expect(translator('en')('restore.conflicts', { count: 1 })).toBe('Not restored (1)');
    expect(translator('en')('import.summary.speed', { rows: '2,000', seconds: '1.5' })).toBe('2,000 rows in 1.5 s');
  });
});
