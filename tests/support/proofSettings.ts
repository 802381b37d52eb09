/**
 * The proofs of tests/proofs run in two sizes: bounded (small counts, part of `npm test`) and long
 * (`npm run proofs`, which sets PROOFS=long). The seed is fixed unless PROOFS_SEED names another, so a
 * failure seen once can be run again exactly; every proof prints its seed with its figures.
 */
export function proofSettings(): { long: boolean; seed: number } {
  const long = process.env.PROOFS === 'long';
  const given = Number(process.env.PROOFS_SEED);
  return { long, seed: Number.isInteger(given) && given > 0 ? given : 20_261_205 };
}

/** One line of figures, `[proof name] key=value …`, in the test output (and the CI log). */
export function printFigures(name: string, figures: Record<string, string | number>): void {
  console.log(`[proof ${name}${process.env.PROOFS === 'long' ? ' long' : ''}] ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}
