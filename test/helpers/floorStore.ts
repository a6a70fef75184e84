/** The store the end-to-end tests run: devices, stations, bins, a catalog and the shelf. */
import { completeGtin } from '../../devices/barcode/index.ts';
import type { Gateway } from '../../gateway/core/gateway.ts';
import { storeDate } from '../../gateway/workflows/shelfLife.ts';

export const dev = (id: string, cls: string) => ({ id, class: cls, transport: { type: 'mqtt' }, secret: `${id}-secret` });
export const floorConfig = {
  store: { id: 'e2e-store', name: 'E2E store', timezone: 'Europe/Amsterdam' },
  devices: [
    dev('scanner-pick', 'scanner'), dev('lights-pick', 'light'),
    dev('scanner-pack', 'scanner'), dev('scale-pack', 'scale'), dev('printer-pack', 'printer'),
    dev('scanner-dispatch', 'scanner'), dev('eye-dispatch', 'sensor'),
  ],
  stations: [
    { id: 'pick-1', kind: 'pick', zone: 'A', devices: ['scanner-pick', 'lights-pick'] },
    { id: 'pack-1', kind: 'pack', devices: ['scanner-pack', 'scale-pack', 'printer-pack'] },
    { id: 'dispatch-1', kind: 'dispatch', devices: ['scanner-dispatch', 'eye-dispatch'] },
  ],
  layout: {
    bins: [
      { id: 'A-01', zone: 'A', pickFace: { min: 2, max: 20 }, light: { device: 'lights-pick', address: 1 } },
      { id: 'A-02', zone: 'A', pickFace: { min: 2, max: 20 }, light: { device: 'lights-pick', address: 2 } },
    ],
  },
  workflows: { packagingGrams: 40, weightTolerance: { grams: 50, percent: 3 }, supervisorBadges: ['SUP-1'] },
  barcodes: { sscc: { companyPrefix: '7350053', extensionDigit: 3 } },
};

export const gtins = { milk: completeGtin('0950110153000'), oat: completeGtin('0950110153001'), yog: completeGtin('0950110153002') };

/** A date `days` from today in the store's zone, as YYMMDD for AI 17 and YYYY-MM-DD. */
export function storeDay(days: number): { iso: string; yymmdd: string } {
  const iso = storeDate(new Date(Date.now() + days * 86_400_000), 'Europe/Amsterdam');
  return { iso, yymmdd: iso.slice(2).replace(/-/g, '') };
}

export async function seedStore(gateway: Gateway): Promise<void> {
  await gateway.log.appendAll([
    { type: 'catalog.upserted', data: { sku: 'MILK', name: 'Whole Milk 1L', gtins: [gtins.milk], unitGrams: 1030 } },
    { type: 'catalog.upserted', data: { sku: 'OAT', name: 'Oat Milk 1L', gtins: [gtins.oat], unitGrams: 1050 } },
    { type: 'catalog.upserted', data: { sku: 'YOG', name: 'Yoghurt 150g', gtins: [gtins.yog], unitGrams: 160, minShelfLifeDays: 5 } },
    { type: 'stock.received', data: { sku: 'MILK', bin: 'A-01', lot: 'L1', expiry: storeDay(30).iso, qty: 10 } },
    { type: 'stock.received', data: { sku: 'YOG', bin: 'A-02', lot: 'Y1', expiry: storeDay(20).iso, qty: 5 } },
  ]);
}
