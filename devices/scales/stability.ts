/**
 * Stability for streaming scales: a weight is stable once readings have stayed within a band
 * (e.g. 2 g) for a time (e.g. 500 ms). A scale's own "stable" flag is trusted only together
 * with this, because cheap scales flag stable while a bag is still swinging.
 *
 * @example
 *   const s = new StabilityDetector({ bandGrams: 2, holdMs: 500 });
 *   s.push(412, 0); s.push(413, 300); s.push(412.5, 600); // true: within 2 g for 600 ms
 */
export class StabilityDetector {
  private runStart = 0;
  private min = Number.NaN;
  private max = Number.NaN;

  constructor(private readonly options: { bandGrams: number; holdMs: number }) {}

  /** Adds a reading taken at `atMs`; returns whether the weight is stable now. */
  push(grams: number, atMs: number): boolean {
    const min = Math.min(this.min, grams);
    const max = Math.max(this.max, grams);
    if (Number.isNaN(this.min) || max - min > this.options.bandGrams) {
      this.runStart = atMs;
      this.min = grams;
      this.max = grams;
    } else {
      this.min = min;
      this.max = max;
    }
    return atMs - this.runStart >= this.options.holdMs;
  }

  reset(): void {
    this.min = Number.NaN;
    this.max = Number.NaN;
  }
}
