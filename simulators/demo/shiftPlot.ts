/** An SVG of a shift: orders dispatched over time (bars) and verdict latency over time (dots). */
export function shiftSvg(input: { dispatchTimes: number[]; latency: Array<[number, number]>; title: string }): string {
  const w = 800;
  const h = 360;
  const pad = 50;
  const half = (h - 3 * pad) / 2;
  // About 40 bars over the shift, a whole number of seconds each (a minute for a long shift).
  const duration = Math.max(1, ...input.dispatchTimes, ...input.latency.map(([t]) => t));
  const bucket = duration > 2400 ? 60 : Math.max(1, Math.ceil(duration / 40));
  const counts: number[] = Array.from({ length: Math.ceil(duration / bucket) }, () => 0);
  for (const t of input.dispatchTimes) counts[Math.min(counts.length - 1, Math.floor(t / bucket))]! += 1;
  const minutes = Math.max(1, counts.length);
  const maxOrders = Math.max(1, ...counts);
  const bw = (w - 2 * pad) / minutes;
  const bars = counts
    .map((n, i) => {
      const bh = ((n ?? 0) / maxOrders) * half;
      return `<rect x="${(pad + i * bw + 1).toFixed(1)}" y="${(pad + half - bh).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#0969da"/>`;
    })
    .join('');
  const maxT = Math.max(1, ...input.latency.map(([t]) => t));
  const sorted = input.latency.map(([, ms]) => ms).sort((a, b) => a - b);
  const maxMs = Math.max(1, sorted[Math.floor(sorted.length * 0.995)] ?? 1);
  const top2 = 2 * pad + half;
  const step = Math.max(1, Math.floor(input.latency.length / 2000));
  const dots = input.latency
    .filter((_, i) => i % step === 0)
    .map(([t, ms]) => `<circle cx="${(pad + (t / maxT) * (w - 2 * pad)).toFixed(1)}" cy="${(top2 + half - (Math.min(ms, maxMs) / maxMs) * half).toFixed(1)}" r="1.5" fill="#cf222e"/>`)
    .join('');
  const text = (x: number, y: number, s: string, anchor = 'start') => `<text x="${x}" y="${y}" font-size="12" text-anchor="${anchor}" font-family="sans-serif">${s}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<rect width="${w}" height="${h}" fill="#fff"/>
${text(pad, 20, input.title)}
${text(pad, pad - 6, `orders dispatched per ${bucket} s (max ${maxOrders})`)}
<line x1="${pad}" y1="${pad + half}" x2="${w - pad}" y2="${pad + half}" stroke="#999"/>
${bars}
${text(pad, top2 - 6, `verdict latency, ms (scale to ${maxMs.toFixed(0)} ms) over ${maxT.toFixed(0)} s`)}
<line x1="${pad}" y1="${top2 + half}" x2="${w - pad}" y2="${top2 + half}" stroke="#999"/>
${dots}
${text(w - pad, h - 10, 'darkstore-gateway simulate', 'end')}
</svg>
`;
}
