import { describe, expect, it } from 'vitest';
import { CompanyIndex, compareCompanies, profileOf, type Company } from '../../main/duplicates/companies';
import { labelledPairs, type Side } from '../fixtures/duplicates/companies';

// The engine against the labelled set (tests/fixtures/duplicates/companies.ts): the second company of each pair
// is checked while the first exists. The first is found the way every check finds candidates, through its
// lookup keys (the in-memory index holds exactly the keys the database stores), then compared.

const company = (side: Side, id: string): Company => ({ id, code: id, company_name: side.name, email: side.email ?? '', website: side.website ?? null });

function outcome(a: Side, b: Side): 'block' | 'warn' | 'nothing' {
  const index = new CompanyIndex();
  index.add(company(a, 'a'));
  const typed = company(b, 'b');
  const found = index.candidates(typed);
  if (!found.length) return 'nothing';
  return compareCompanies(profileOf(typed), profileOf(found[0]!))?.decision ?? 'nothing';
}

describe('the company duplicate engine on the labelled set', () => {
  it('has at least 150 pairs of every kind', () => {
    expect(labelledPairs.length).toBeGreaterThanOrEqual(150);
    for (const expected of ['block', 'warn', 'nothing'] as const) expect(labelledPairs.filter((p) => p.expected === expected).length).toBeGreaterThan(20);
  });

  it('catches the duplicates and leaves different companies alone', () => {
    const results = labelledPairs.map((pair) => ({ pair, got: outcome(pair.a, pair.b), reverse: outcome(pair.b, pair.a) }));
    const duplicates = results.filter((r) => r.pair.expected !== 'nothing');
    const different = results.filter((r) => r.pair.expected === 'nothing');
    const caught = duplicates.filter((r) => r.got !== 'nothing');
    const wrongBlocks = different.filter((r) => r.got === 'block' || r.reverse === 'block');
    const falseAlarms = different.filter((r) => r.got === 'warn');
    const blockedAsBlock = results.filter((r) => r.pair.expected === 'block' && r.got === 'block').length;
    const exact = results.filter((r) => r.got === r.pair.expected).length;
    const asymmetric = results.filter((r) => r.got !== r.reverse);
    const recall = caught.length / duplicates.length;
    const falseAlarmRate = falseAlarms.length / different.length;
    const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
    const describe = (r: (typeof results)[number]) => `  [${r.pair.kind}] ${r.pair.a.name} / ${r.pair.b.name}: expected ${r.pair.expected}, got ${r.got}`;
    console.log(
      [
        `duplicates labelled set: ${results.length} pairs (${duplicates.length} duplicates, ${different.length} different companies)`,
        `recall ${percent(recall)} (${caught.length}/${duplicates.length}), blocks where a block was expected ${blockedAsBlock}/${results.filter((r) => r.pair.expected === 'block').length}`,
        `wrong blocks ${wrongBlocks.length}, false alarms ${percent(falseAlarmRate)} (${falseAlarms.length}/${different.length}), exact outcome ${exact}/${results.length}, order-dependent ${asymmetric.length}`,
        ...[...duplicates.filter((r) => r.got === 'nothing'), ...wrongBlocks, ...falseAlarms].map(describe),
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(wrongBlocks.map(describe)).toEqual([]);
    expect(falseAlarmRate).toBeLessThanOrEqual(0.05);
  });
});
