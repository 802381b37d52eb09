/**
 * Token buckets by key (a device's token, or an address whose requests fail authentication): `perMinute`
 * requests a minute on average, up to `burst` at once. In memory, per instance: behind a load balancer the limit
 * a device meets is per instance, which is enough to stop a runaway sync loop or a token-guessing client.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {}

  /** Takes one request from the key's bucket: 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.#buckets.set(key, bucket);
      return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60_000) / this.perMinute / 1000));
    }
    bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 50_000) this.#forgetFull(now);
    return 0;
  }

  /** Whether the key still has a request left, without taking it. */
  exhausted(key: string): number {
    const bucket = this.#buckets.get(key);
    if (!bucket) return 0;
    const tokens = Math.min(this.burst, bucket.tokens + ((this.now() - bucket.at) * this.perMinute) / 60_000);
    return tokens < 1 ? Math.max(1, Math.ceil(((1 - tokens) * 60_000) / this.perMinute / 1000)) : 0;
  }

  #forgetFull(now: number) {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000 >= this.burst) this.#buckets.delete(key);
    }
  }
}
