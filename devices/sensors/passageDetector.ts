/**
 * Turns a photo-eye's raw blocked/clear states into what the store cares about, as a pure
 * function of time (no timers inside, so timelines test as tables):
 * - debounce: a state counts only once it held `debounceMs` (a flapping edge is counted, not
 *   reported);
 * - passage: blocked then clear (a tote went by), with how long it blocked the beam;
 * - jam: blocked longer than `jamMs`; jam cleared when the beam clears again (a cleared jam is
 *   not counted as a passage: the totes were taken off by hand).
 * The caller feeds `input(state, at)` and calls `tick(at)` at `nextDeadline()`.
 *
 * @example
 *   const d = new PassageDetector({ debounceMs: 30, jamMs: 5000 });
 *   d.input('blocked', 0); d.input('clear', 400); d.tick(430);
 *   // -> [{ kind: 'passage', count: 1, blockedMs: 400, at: 400 }]
 */
export type BeamState = 'blocked' | 'clear';

export type SensorOutput =
  | { kind: 'passage'; count: number; blockedMs: number; at: number }
  | { kind: 'jam'; blockedMs: number; at: number }
  | { kind: 'jamCleared'; blockedMs: number; at: number };

export interface PassageDetectorOptions {
  debounceMs: number;
  jamMs: number;
}

export class PassageDetector {
  private stable: BeamState = 'clear';
  private candidate?: { state: BeamState; since: number };
  private blockedSince?: number;
  private jammed = false;
  /** Totes counted so far. */
  count = 0;
  /** Edges that did not hold for the debounce time. */
  flaps = 0;

  constructor(private readonly options: PassageDetectorOptions) {}

  get state(): BeamState {
    return this.stable;
  }

  get isJammed(): boolean {
    return this.jammed;
  }

  /** A raw reading at time `at` (ms); returns what became true up to then. */
  input(state: BeamState, at: number): SensorOutput[] {
    const out = this.tick(at);
    if (state === this.stable) {
      if (this.candidate) this.flaps++;
      this.candidate = undefined;
    } else if (this.candidate?.state !== state) {
      this.candidate = { state, since: at };
    }
    return [...out, ...this.tick(at)];
  }

  /** Time passing: settles a debounced change and detects a jam. */
  tick(at: number): SensorOutput[] {
    const out: SensorOutput[] = [];
    if (this.candidate && at - this.candidate.since >= this.options.debounceMs) {
      const { state, since } = this.candidate;
      this.candidate = undefined;
      // A jam that started before this change was settled is reported first.
      if (state === 'clear') out.push(...this.checkJam(since));
      this.stable = state;
      if (state === 'blocked') this.blockedSince = since;
      else {
        const blockedMs = since - (this.blockedSince ?? since);
        if (this.jammed) out.push({ kind: 'jamCleared', blockedMs, at: since });
        else out.push({ kind: 'passage', count: ++this.count, blockedMs, at: since });
        this.jammed = false;
        this.blockedSince = undefined;
      }
    }
    out.push(...this.checkJam(at));
    return out;
  }

  /** When `tick` next has something to settle, or undefined when nothing is pending. */
  nextDeadline(): number | undefined {
    const deadlines: number[] = [];
    if (this.candidate) deadlines.push(this.candidate.since + this.options.debounceMs);
    if (this.stable === 'blocked' && !this.jammed && this.blockedSince !== undefined) deadlines.push(this.blockedSince + this.options.jamMs);
    return deadlines.length ? Math.min(...deadlines) : undefined;
  }

  private checkJam(at: number): SensorOutput[] {
    if (this.stable !== 'blocked' || this.jammed || this.blockedSince === undefined) return [];
    if (at - this.blockedSince < this.options.jamMs) return [];
    this.jammed = true;
    return [{ kind: 'jam', blockedMs: at - this.blockedSince, at: this.blockedSince + this.options.jamMs }];
  }
}
