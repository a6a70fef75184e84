/**
 * A sleep that can be cut short: a loop waits for its interval, and `wake()` (new events committed,
 * an admin request, `stop()`) ends the wait at once.
 *
 * @example
 *   const sleeper = new Sleeper();
 *   setTimeout(() => sleeper.wake(), 10);
 *   await sleeper.sleep(60_000); // returns after 10 ms
 */
export class Sleeper {
  private pending?: { timer: NodeJS.Timeout; resolve: () => void };
  private woken = false;

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.finish(), ms);
      this.pending = { timer, resolve };
    });
  }

  /** Ends the current sleep, or makes the next one return at once. */
  wake(): void {
    if (this.pending) this.finish();
    else this.woken = true;
  }

  private finish(): void {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    clearTimeout(p.timer);
    p.resolve();
  }
}
