import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { companyMatchKeys } from '../../contract/companies';
import { CompanyIndex, type Company } from '../../main/duplicates/companies';
import { newId } from '../../main/ids';

// The in-memory index an import checks its own rows through (main/duplicates/companies.ts) keeps a key that names
// one company as that company's entry alone, and a list once a second one shares it. Its answers must be those of
// the plain model below: every key's companies in the order they were added, a replaced company moved to the end,
// at most 100 read per specific key and 20 per loose one (a word, a typo variant).

class ListModel {
  private readonly byKey = new Map<string, Company[]>();

  add(company: Company): void {
    this.remove(company.id);
    for (const key of companyMatchKeys(company)) this.byKey.set(key, [...(this.byKey.get(key) ?? []), company]);
  }

  remove(id: string): void {
    for (const [key, list] of this.byKey) this.byKey.set(key, list.filter((c) => c.id !== id));
  }

  candidates(company: Company): string[] {
    const found: string[] = [];
    for (const key of companyMatchKeys(company)) {
      const limit = key.startsWith('w:') || key.startsWith('v:') ? 20 : 100;
      for (const c of (this.byKey.get(key) ?? []).slice(0, limit)) if (!found.includes(c.id)) found.push(c.id);
    }
    return found;
  }
}

// Few words and domains, so that keys are shared by one company, by a few, and by more than a key reads.
const words = ['Acme', 'Acne', 'Northwind', 'Nortwind', 'Grupo', 'Iberia', 'Logistics', 'Zara', 'Zaras', 'Talleres'];
const company = fc.record({
  id: fc.integer({ min: 1, max: 300 }).map((n) => `id-${String(n).padStart(3, '0')}`),
  words: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }),
  domain: fc.option(fc.constantFrom('acme.es', 'northwind.com', 'zara.com'), { nil: null }),
  mailbox: fc.constantFrom('info', 'sales', 'hr'),
});
const toCompany = (c: { id: string; words: string[]; domain: string | null; mailbox: string }): Company => ({
  id: c.id, code: c.id, company_name: c.words.join(' '), email: c.domain ? `${c.mailbox}@${c.domain}` : '', website: c.domain ? `https://${c.domain}` : null,
});

describe('CompanyIndex', () => {
  it('answers as a list per key would, through adds, replacements and crowded keys', () => {
    fc.assert(
      fc.property(fc.array(company, { minLength: 1, maxLength: 400, size: 'max' }), fc.array(company, { minLength: 1, maxLength: 10 }), (added, asked) => {
        const index = new CompanyIndex();
        const model = new ListModel();
        for (const c of added.map(toCompany)) {
          index.add(c);
          model.add(c);
        }
        for (const c of asked.map(toCompany)) expect(index.candidates(c).map((x) => x.id)).toEqual(model.candidates(c));
        for (const c of added.map(toCompany)) expect(index.get(c.id)?.id).toBe(c.id);
      }),
      { numRuns: 150 },
    );
  });

  it('forgets a replaced company under the keys it no longer has', () => {
    const index = new CompanyIndex();
    index.add({ id: 'a', code: 'a', company_name: 'Acme', email: 'info@acme.es', website: null });
    index.add({ id: 'a', code: 'a', company_name: 'Northwind', email: 'info@northwind.com', website: null });
    expect(index.candidates({ company_name: 'Acme', email: 'info@acme.es', website: null })).toEqual([]);
    expect(index.candidates({ company_name: 'Northwind', email: '', website: null }).map((c) => c.id)).toEqual(['a']);
    expect(index.size).toBe(1);
  });
});

describe('newId', () => {
  it('makes UUIDv7 text, in the order the ids were made', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
