/** Tote passages and jams from photo-eye timelines (ms), as tables. */
import { describe, expect, it } from 'vitest';
import { PassageDetector, type BeamState, type SensorOutput } from '../../../devices/sensors/passageDetector.ts';

/** Plays a timeline of [at, state] readings, ticking every 10 ms until `end`. */
function play(timeline: Array<[number, BeamState]>, end: number, options = { debounceMs: 30, jamMs: 5000 }) {
  const detector = new PassageDetector(options);
  const out: SensorOutput[] = [];
  let next = 0;
  for (let t = 0; t <= end; t += 10) {
    while (next < timeline.length && timeline[next]![0] <= t) {
      out.push(...detector.input(timeline[next]![1], timeline[next]![0]));
      next++;
    }
    out.push(...detector.tick(t));
  }
  return { out, detector };
}

describe('PassageDetector', () => {
  it.each([
    { name: 'one tote', timeline: [[100, 'blocked'], [500, 'clear']] as Array<[number, BeamState]>, kinds: ['passage'], count: 1 },
    { name: 'three totes', timeline: [[0, 'blocked'], [300, 'clear'], [600, 'blocked'], [900, 'clear'], [1200, 'blocked'], [1500, 'clear']] as Array<[number, BeamState]>, kinds: ['passage', 'passage', 'passage'], count: 3 },
    { name: 'a flap shorter than the debounce', timeline: [[100, 'blocked'], [115, 'clear']] as Array<[number, BeamState]>, kinds: [], count: 0 },
    { name: 'a tote with a flickering edge', timeline: [[100, 'blocked'], [110, 'clear'], [120, 'blocked'], [600, 'clear']] as Array<[number, BeamState]>, kinds: ['passage'], count: 1 },
    { name: 'a jam and its clearing', timeline: [[100, 'blocked'], [6000, 'clear']] as Array<[number, BeamState]>, kinds: ['jam', 'jamCleared'], count: 0 },
  ])('$name', ({ timeline, kinds, count }) => {
    const { out, detector } = play(timeline, 7000);
    expect(out.map((o) => o.kind)).toEqual(kinds);
    expect(detector.count).toBe(count);
  });

  it('reports how long the tote blocked the beam, and when', () => {
    const { out } = play([[100, 'blocked'], [520, 'clear']], 1000);
    expect(out).toEqual([{ kind: 'passage', count: 1, blockedMs: 420, at: 520 }]);
  });

  it('reports a jam once, at the configured time, and its length when cleared', () => {
    const { out } = play([[1000, 'blocked'], [9000, 'clear']], 10000, { debounceMs: 30, jamMs: 2000 });
    expect(out).toEqual([
      { kind: 'jam', blockedMs: 2000, at: 3000 },
      { kind: 'jamCleared', blockedMs: 8000, at: 9000 },
    ]);
  });

  it('counts flapping faster than the debounce and reports nothing for it', () => {
    const timeline: Array<[number, BeamState]> = Array.from({ length: 20 }, (_, i) => [100 + i * 5, i % 2 === 0 ? 'blocked' : 'clear']);
    const { out, detector } = play(timeline, 1000);
    expect(out).toEqual([]);
    expect(detector.flaps).toBe(10);
  });
});
