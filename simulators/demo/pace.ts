/** Human pace, scaled: `speed` 1 is a person (seconds between actions), `max` is as fast as the gateway answers. */
export class Pace {
  constructor(
    readonly speed: number | 'max',
    private readonly random: () => number,
  ) {}

  /** Waits about `humanMs` (±30 %) divided by the speed; with `max`, only yields. */
  wait(humanMs: number, signal?: AbortSignal): Promise<void> {
    const ms = this.speed === 'max' ? 0 : (humanMs * (0.7 + 0.6 * this.random())) / this.speed;
    return sleep(ms, signal);
  }

  /** A short pause while there is nothing to do (not scaled below 20 ms, so idle loops stay cheap). */
  idle(signal?: AbortSignal): Promise<void> {
    return sleep(this.speed === 'max' ? 20 : Math.max(20, 500 / this.speed), signal);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no listener behind. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
