/**
 * Capped exponential backoff with full jitter: the n-th consecutive failure waits a random time in
 * [0, min(max, base * 2^n)], so a fleet of stores coming back after an OMS outage does not retry in
 * lockstep. A server's Retry-After wins over the computed delay.
 *
 * @example
 *   const backoff = new Backoff({ baseMs: 500, maxMs: 30_000 });
 *   await sleep(backoff.next(err.retryAfterMs)); // after a failure
 *   backoff.reset();                              // after a success
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

export class Backoff {
  private failures = 0;
  constructor(private readonly options: BackoffOptions) {}

  /** The delay before the next attempt; counts one more failure. */
  next(retryAfterMs?: number): number {
    const ceiling = Math.min(this.options.maxMs, this.options.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    if (retryAfterMs !== undefined) return retryAfterMs;
    return Math.round((this.options.random ?? Math.random)() * ceiling);
  }

  reset(): void {
    this.failures = 0;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
