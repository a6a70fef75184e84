/**
 * Parses a Zebra `~HS` (host status) reply: three lines, each between STX (0x02) and ETX (0x03).
 * Line 1 field 2 is "paper out", field 3 "paused"; line 2 field 3 is "head up", field 4
 * "ribbon out". A printer with the head open or out of media often answers nothing at all,
 * which the caller treats as a fault of its own (see zplPrinterPort.ts).
 *
 * @example
 *   parseHostStatus('\x02030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n');
 *   // { complete: true, ready: true, faults: [] }
 */
export interface HostStatus {
  /** All three lines arrived. */
  complete: boolean;
  ready: boolean;
  /** e.g. ['paper out', 'head open']. */
  faults: string[];
}

export function parseHostStatus(reply: string): HostStatus {
  // eslint-disable-next-line no-control-regex -- STX and ETX frame each ~HS line
  const lines = [...reply.matchAll(/\x02([^\x03]*)\x03/g)].map((m) => m[1]!.split(','));
  if (lines.length < 3) return { complete: false, ready: false, faults: [] };
  const [one, two] = lines as [string[], string[]];
  const faults: string[] = [];
  if (one[1] === '1') faults.push('paper out');
  if (one[2] === '1') faults.push('paused');
  if (two[2] === '1') faults.push('head open');
  if (two[3] === '1') faults.push('ribbon out');
  return { complete: true, ready: faults.length === 0, faults };
}

/** A reply that reports ready, for simulators. */
export function readyHostStatus(faults: { paperOut?: boolean; paused?: boolean; headOpen?: boolean } = {}): string {
  const flag = (b?: boolean) => (b ? '1' : '0');
  return `\x02030,${flag(faults.paperOut)},${flag(faults.paused)},1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,${flag(faults.headOpen)},0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n`;
}
