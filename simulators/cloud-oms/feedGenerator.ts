/**
 * What the OMS sends a store, made up realistically: orders of 1-6 lines from the catalog,
 * cancellations, ASNs with lots and expiry for lot-tracked items, and stock adjustments.
 *
 * @example
 *   const gen = new FeedGenerator(catalog, 42);
 *   const order = gen.order('ams-1'); // { orderId: 'ams-1-O000001', lines: [...] }
 */
import { seededRandom, type CatalogItem } from './groceryCatalog.ts';

export class FeedGenerator {
  private readonly random: () => number;
  private orders = 0;
  private asns = 0;
  private adjustments = 0;

  constructor(
    private readonly catalog: CatalogItem[],
    seed = 42,
  ) {
    this.random = seededRandom(seed);
  }

  private pick(): CatalogItem {
    return this.catalog[Math.floor(this.random() * this.catalog.length)]!;
  }

  order(store: string): { orderId: string; priority: number; dueAt: string; shortCode: string; lines: Array<{ line: number; sku: string; qty: number }> } {
    this.orders++;
    const n = 1 + Math.floor(this.random() * 6);
    const skus = new Set<string>();
    while (skus.size < n) skus.add(this.pick().sku);
    return {
      orderId: `${store}-O${String(this.orders).padStart(6, '0')}`,
      priority: this.random() < 0.1 ? 1 : 0,
      dueAt: new Date(Date.now() + 20 * 60_000).toISOString(),
      shortCode: String(100 + (this.orders % 900)),
      lines: [...skus].map((sku, i) => ({ line: i + 1, sku, qty: 1 + Math.floor(this.random() * 3) })),
    };
  }

  asn(store: string): { asn: string; supplier: string; expectedAt: string; lines: Array<{ sku: string; qty: number; lot?: string; expiry?: string }> } {
    this.asns++;
    const lines = Array.from({ length: 3 + Math.floor(this.random() * 8) }, () => {
      const item = this.pick();
      const expiry = item.shelfLifeDays ? new Date(Date.now() + item.shelfLifeDays * 86_400_000).toISOString().slice(0, 10) : undefined;
      return { sku: item.sku, qty: 6 * (1 + Math.floor(this.random() * 8)), ...(item.lotTracked ? { lot: `L${Math.floor(this.random() * 1e6)}`, expiry } : {}) };
    });
    return { asn: `${store}-ASN${String(this.asns).padStart(5, '0')}`, supplier: 'Central DC', expectedAt: new Date(Date.now() + 3_600_000).toISOString(), lines };
  }

  adjustment(bin: string): { sku: string; bin: string; delta: number; reason: string; adjustmentId: string } {
    this.adjustments++;
    return { sku: this.pick().sku, bin, delta: this.random() < 0.5 ? -1 : 1, reason: 'cloud correction', adjustmentId: `ADJ-${this.adjustments}` };
  }
}
