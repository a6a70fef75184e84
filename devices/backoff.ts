/**
 * Capped exponential backoff with jitter, for reconnecting transports. The cap is low (1 s by
 * default) because a floor device that comes back must be usable again within about 2 s, and
 * retrying a local port or a LAN socket once a second costs nothing. Jitter keeps twenty
 * scanners on one replugged hub from retrying in lockstep.
 *
 * @example
 *   const backoff = new Backoff({ initialMs: 100, maxMs: 1000 });
 *   setTimeout(retry, backoff.next()); // 100 +/- 20 %, then 200, 400, 800, 1000, 1000...
 *   backoff.reset(); // after a successful connection
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of the delay added or removed at random, 0 to 1. */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 1000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt, in ms; grows until the cap. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt++;
    const spread = base * this.jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(this.maxMs, base + spread)));
  }

  reset(): void {
    this.attempt = 0;
  }
}
