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
