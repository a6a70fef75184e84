/**
 * Fault injection of the simulated OMS. A plan has probabilities per fault kind (drawn from a
 * seeded generator, so a run can be repeated) and a queue of faults for the next requests (for
 * tests that want exactly one of a kind).
 *
 * - `latency`: every request waits latencyMs first.
 * - `error5xx`: 503 JSON error, nothing applied.
 * - `tooMany`: 429 with Retry-After, nothing applied.
 * - `html`: a proxy's 502 HTML page, nothing applied.
 * - `reset`: the reply starts, then the connection is reset; nothing applied.
 * - `replyLost`: the request is applied, then the connection drops before any reply (the classic
 *   duplicate: the client must re-send and the OMS must not double it).
 *
 * @example
 *   oms.faults.set({ rates: { error5xx: 0.1, replyLost: 0.05 }, latencyMs: 20 });
 *   oms.faults.injectNext('tooMany', 2);
 */
import { seededRandom } from './groceryCatalog.ts';

export const faultKinds = ['error5xx', 'tooMany', 'html', 'reset', 'replyLost'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultSettings {
  latencyMs?: number;
  rates?: Partial<Record<FaultKind, number>>;
  retryAfterSeconds?: number;
  seed?: number;
}

export class FaultPlan {
  settings: FaultSettings = {};
  readonly injected: Record<FaultKind, number> = { error5xx: 0, tooMany: 0, html: 0, reset: 0, replyLost: 0 };
  private queue: FaultKind[] = [];
  private random = seededRandom(1);

  set(settings: FaultSettings): void {
    this.settings = settings;
    this.random = seededRandom(settings.seed ?? 1);
  }

  injectNext(kind: FaultKind, count = 1): void {
    for (let i = 0; i < count; i++) this.queue.push(kind);
  }

  clear(): void {
    this.settings = {};
    this.queue = [];
  }

  /** The fault for this request, if any (counted as injected). */
  draw(): FaultKind | undefined {
    let kind = this.queue.shift();
    if (!kind) {
      const r = this.random();
      let acc = 0;
      for (const k of faultKinds) {
        acc += this.settings.rates?.[k] ?? 0;
        if (r < acc) {
          kind = k;
          break;
        }
      }
    }
    if (kind) this.injected[kind]++;
    return kind;
  }
}
