import { describe, expect, it } from 'vitest';
import { isValidGtin } from '../../devices/barcode/gtin.ts';
import { eventSchemas } from '../../gateway/log/eventCatalogue.ts';
import { FeedGenerator } from '../../simulators/cloud-oms/feedGenerator.ts';
import { groceryCatalog } from '../../simulators/cloud-oms/groceryCatalog.ts';

describe('the simulated OMS grocery catalog', () => {
  const catalog = groceryCatalog();

  it('has about 3,000 SKUs, unique, each with valid GTINs, and is the same on every run', () => {
    expect(catalog).toHaveLength(3000);
    expect(new Set(catalog.map((c) => c.sku)).size).toBe(3000);
    const gtins = catalog.flatMap((c) => c.gtins);
    expect(gtins.every((g) => /^\d{14}$/.test(g) && isValidGtin(g))).toBe(true);
    expect(new Set(gtins).size).toBe(gtins.length);
    expect(groceryCatalog()).toEqual(catalog);
  });

  it('has variable-measure items, lot-tracked items with shelf-life rules, and unit weights', () => {
    expect(catalog.filter((c) => c.variableMeasure).length).toBeGreaterThan(50);
    const lotTracked = catalog.filter((c) => c.lotTracked);
    expect(lotTracked.length).toBeGreaterThan(300);
    expect(lotTracked.every((c) => (c.shelfLifeDays ?? 0) > 0 && c.minShelfLifeDays > 0 && c.minShelfLifeDays < c.shelfLifeDays!)).toBe(true);
    expect(catalog.filter((c) => !c.variableMeasure).every((c) => c.unitGrams > 0 && c.toleranceGrams > 0)).toBe(true);
  });

  it('produces feed items the gateway event catalogue accepts', () => {
    const gen = new FeedGenerator(catalog);
    for (const item of catalog.slice(0, 200)) expect(eventSchemas['catalog.upserted'].safeParse(item).success).toBe(true);
    for (let i = 0; i < 50; i++) {
      expect(eventSchemas['order.released'].safeParse(gen.order('s')).success).toBe(true);
      expect(eventSchemas['asn.received'].safeParse(gen.asn('s')).success).toBe(true);
      expect(eventSchemas['stock.adjusted'].safeParse(gen.adjustment('A-01')).success).toBe(true);
    }
  });
});
