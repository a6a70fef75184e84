/**
 * The "printer out of paper" fault of `simulate --faults`: the pack station's TCP label printer
 * runs out of paper (its ~HS answer says "paper out"; it prints nothing). The gateway's print
 * queue keeps the bag label and retries; the store admin sees the printer faulted in device
 * health, and the packer reads on the station screen that the label waits (once the gateway
 * knows the printer is out). After a while someone reloads the paper and the held label prints: none is lost. All
 * of it is observed the way an admin would, through the HTTP admin API.
 *
 * @example
 *   const seen = await printerOutOfPaper(store.floor, { reloadAfterMs: 3000 });
 *   // 'printer-pack-1 out of paper for 4.2 s: device health said "paper out; fix it at the printer"; 1 label held in the
 *   //  print queue, printed after the reload; the packer's screen said "bag 2.10 kg ok (SSCC ...), but the label waits: ..."'
 */
import type { FloorDevices, FloorPrinter } from './floorDevices.ts';

interface LoggedPrint {
  seq: number;
  type: string;
  data: { jobId: string; printer: string };
}

export async function printerOutOfPaper(floor: FloorDevices, options: { reloadAfterMs?: number; timeoutMs?: number } = {}): Promise<string> {
  const id = [...floor.tcpPrinters.keys()][0];
  if (!id) throw new Error('this store has no TCP label printer to run out of paper');
  const printer = floor.device(id) as FloorPrinter;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const { lastSeq } = (await floor.get('/api/v1/events?limit=1')) as { lastSeq: number };
  const started = Date.now();
  await printer.paperOut();
  try {
    // What the store admin sees: the printer faulted in device health, with the reason.
    const reason = await until(timeoutMs, `${id} to show as faulted in device health`, async () => {
      const d = await floor.deviceHealth(id);
      return d && d.state !== 'online' ? (d.lastError?.reason ?? d.state) : undefined;
    });
    // A bag packed meanwhile: its label waits in the gateway's print queue (queued, not done),
    // or, sent just as the paper ran out, in the printer's own buffer (a Zebra prints it after the reload).
    const sim = floor.tcpPrinters.get(id)!;
    const held = await until(timeoutMs, `a bag label to be held in ${id}'s print queue or buffer`, async () => {
      const waiting = await heldJobs(floor, id, lastSeq);
      return waiting.length + sim.held.length > 0 ? { queue: waiting.length, printer: sim.held.length } : undefined;
    });
    // What the packer read on the station screen when the bag passed.
    const station = floor.config.stations.find((st) => st.devices.includes(id))?.id;
    const screen = station ? ((await floor.get(`/api/v1/stations/${station}/screen`).catch(() => undefined)) as { text?: string } | undefined) : undefined;
    await new Promise((r) => setTimeout(r, options.reloadAfterMs ?? 3000));
    await printer.reload();
    await until(timeoutMs, `the held labels to print after the paper was reloaded`, async () => ((await heldJobs(floor, id, lastSeq)).length === 0 && sim.held.length === 0 ? true : undefined));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const told = screen?.text ? `; the packer's screen said "${screen.text}"` : '';
    const where = [held.queue ? `${held.queue} in the print queue` : '', held.printer ? `${held.printer} in the printer's buffer` : ''].filter(Boolean).join(', ');
    const count = held.queue + held.printer;
    return `${id} out of paper for ${seconds} s: device health said "${reason}"; ${count} label${count === 1 ? '' : 's'} held (${where}), printed after the reload${told}`;
  } finally {
    // Paper goes back in whatever happened, so the shift can finish.
    await printer.reload();
  }
}

/** Print jobs of `printer` queued after `afterSeq` and not done yet, from the event log (admin API). */
async function heldJobs(floor: FloorDevices, printer: string, afterSeq: number): Promise<string[]> {
  const queued = new Set<string>();
  const done = new Set<string>();
  for (let after = afterSeq; ; ) {
    const { events } = (await floor.get(`/api/v1/events?type=print.&after=${after}&limit=1000`)) as { events: LoggedPrint[] };
    for (const e of events) {
      if (e.data.printer !== printer) continue;
      if (e.type === 'print.queued') queued.add(e.data.jobId);
      if (e.type === 'print.done') done.add(e.data.jobId);
    }
    if (events.length < 1000) break;
    after = events.at(-1)!.seq;
  }
  return [...queued].filter((j) => !done.has(j));
}

async function until<T>(timeoutMs: number, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
