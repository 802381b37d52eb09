/** Runs `fn` `iterations` times after a warm-up and returns p50/p95 in milliseconds. */
export async function measure(fn: () => unknown, iterations = 60, warmup = 5): Promise<{ p50: number; p95: number; mean: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: pick(0.5), p95: pick(0.95), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * One line of the bench. `target` and the target inside `ratio` are checked by `missesOf` when written the
 * way every line writes them: `≤ 10 ms` (on p95, DESIGN.md's percentile), `p50 ≤ 1 000 ms`, `≥ 20 000 rows/s`;
 * a ratio as `1.05× what (≤ 1.3×)`. Any other text ("no target") is printed as it is and checks nothing.
 */
export interface Row {
  case: string;
  p50: number;
  p95: number;
  target?: string;
  baseline?: string;
  baselineP50?: number;
  baselineP95?: number;
  ratio?: string;
}

/** `1.05× the raw driver (≤ 1.3×)`: a ratio, what it compares with, and its target when it has one. */
export function ratioText(value: number, what: string, target?: `${'≤' | '≥'} ${number}×`): string {
  return `${round(value, value >= 10 ? 1 : 2)}× ${what}${target ? ` (${target})` : ''}`;
}

const number = (text: string) => Number(text.replace(/[\s\u00a0]/g, ''));
const beyond = (value: number, sign: string, limit: number) => (sign === '≤' ? value > limit : value < limit);

/** What a line misses: its target, its ratio's target, both or neither. */
export function missesOf(row: Row): string[] {
  const misses: string[] = [];
  const target = /^(p50 |p95 )?([≤≥]) ([\d\s\u00a0.]+)(?:\s|$)/.exec(row.target ?? '');
  if (target) {
    const at = target[1]?.trim() === 'p50' ? 'p50' : 'p95';
    if (beyond(row[at], target[2]!, number(target[3]!))) misses.push(at);
  }
  const ratio = /^([\d.]+)×.*\(([≤≥]) ([\d.]+)×\)$/.exec(row.ratio ?? '');
  if (ratio && beyond(Number(ratio[1]), ratio[2]!, Number(ratio[3]))) misses.push('ratio');
  return misses;
}

/** The table every bench prints: each line with its target, its ratio to its floor, and MISS where one is missed. */
export function printRows(rows: Row[], print: (line: string) => void = console.log) {
  const header = ['case', 'p50 ms', 'p95 ms', 'target', 'baseline', 'base p50', 'base p95', 'ratio (target)', 'check'];
  const lines = rows.map((r) => {
    const misses = missesOf(r);
    const checked = /[≤≥]/.test(`${r.target ?? ''}${r.ratio ?? ''}`);
    const check = misses.length ? `MISS ${misses.join(', ')}` : checked ? 'ok' : '';
    return [r.case, r.p50, r.p95, r.target ?? '', r.baseline ?? '', r.baselineP50 ?? '', r.baselineP95 ?? '', r.ratio ?? '', check].map(String);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  print(format(header));
  print(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const line of lines) print(format(line));
  const missed = rows.filter((r) => missesOf(r).length);
  print(missed.length ? `\n${missed.length} of ${rows.length} lines MISS their target: ${missed.map((r) => r.case).join('; ')}` : `\nEvery checked target met (${rows.length} lines).`);
}
