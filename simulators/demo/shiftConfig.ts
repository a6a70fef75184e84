/**
 * The config of a simulated store with S pick stations (a zone of 8 lit bins each), one pack,
 * receiving and dispatch station, as written in a file (before defaults): `simulate` writes it
 * for the gateway process to load. With `batch`, the last pick station picks batches of up to
 * 5 orders into a put wall of 5 lit slots (grouped by shared bins); with `trustPick`, a second
 * pack station skips the unit scans and weighs an order's bags together.
 */

/** The put wall of the batch station: one light (with its confirm button) per tote slot. */
export const putWallSlots = 5;

export interface ShiftConfigOptions {
  stations: number;
  dataDir: string;
  storeId?: string;
  batch?: boolean;
  trustPick?: boolean;
}

export function shiftConfigInput(options: ShiftConfigOptions): Record<string, unknown> {
  const dev = (id: string, cls: string) => ({ id, class: cls, transport: { type: 'mqtt' }, secret: `sim-${id}-secret` });
  const devices: unknown[] = [];
  const stations: unknown[] = [];
  const bins: unknown[] = [];
  for (let i = 1; i <= options.stations; i++) {
    devices.push(dev(`scanner-pick-${i}`, 'scanner'), dev(`lights-pick-${i}`, 'light'));
    const station: Record<string, unknown> = { id: `pick-${i}`, kind: 'pick', zone: `Z${i}`, devices: [`scanner-pick-${i}`, `lights-pick-${i}`] };
    if (options.batch && i === options.stations) {
      devices.push(dev(`putwall-pick-${i}`, 'light'));
      const putWall = Array.from({ length: putWallSlots }, (_, k) => ({ slot: k + 1, light: { device: `putwall-pick-${i}`, address: k + 1 } }));
      station.batch = { maxOrders: putWallSlots, groupBy: 'bins', lookAhead: 2 * putWallSlots, requireToteScan: true, putWall };
    }
    stations.push(station);
    for (let b = 1; b <= 8; b++) bins.push({ id: `Z${i}-${String(b).padStart(2, '0')}`, zone: `Z${i}`, pickFace: { min: 3, max: 24 }, light: { device: `lights-pick-${i}`, address: b } });
  }
  devices.push(dev('scanner-pack-1', 'scanner'), dev('scale-pack-1', 'scale'), dev('printer-pack-1', 'printer'), dev('scanner-recv-1', 'scanner'), dev('scanner-dispatch-1', 'scanner'), dev('eye-dispatch-1', 'sensor'));
  stations.push({ id: 'pack-1', kind: 'pack', devices: ['scanner-pack-1', 'scale-pack-1', 'printer-pack-1'] });
  if (options.trustPick) {
    devices.push(dev('scanner-pack-2', 'scanner'), dev('scale-pack-2', 'scale'), dev('printer-pack-2', 'printer'));
    stations.push({ id: 'pack-2', kind: 'pack', trustPick: true, devices: ['scanner-pack-2', 'scale-pack-2', 'printer-pack-2'] });
  }
  stations.push(
    { id: 'receiving-1', kind: 'receiving', devices: ['scanner-recv-1'] },
    { id: 'dispatch-1', kind: 'dispatch', devices: ['scanner-dispatch-1', 'eye-dispatch-1'] },
  );
  return {
    store: { id: options.storeId ?? 'sim-store', timezone: 'Europe/Amsterdam' },
    dataDir: options.dataDir,
    logging: { level: 'warn' },
    broker: { mode: 'embedded', host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0, tokens: [{ name: 'simulator', role: 'admin', token: 'simulator-token-0123456789' }] },
    cloud: { url: 'http://127.0.0.1:0', token: 'sim-cloud-token', intervals: { pushMs: 200, pullMs: 200, snapshotMs: 3_600_000 } },
    workflows: { packagingGrams: 40, weightTolerance: { grams: 60, percent: 3 }, supervisorBadges: ['EMP-SUP-1'] },
    barcodes: { sscc: { companyPrefix: '8712345', extensionDigit: 2 } },
    devices,
    stations,
    layout: { bins },
  };
}
