/**
 * A realistic grocery catalog, generated deterministically from a seed: about 3,000 SKUs over the
 * usual dark-store categories, each with a valid GTIN-13 (normalised to 14 digits), a unit weight
 * and tolerance, some variable-measure (produce, deli by weight), some lot and expiry tracked with
 * a minimum remaining shelf life.
 *
 * @example
 *   const items = groceryCatalog({ count: 3000 });
 *   items[0]; // { sku: 'DAI-00001', name: 'Whole Milk 1L', gtins: ['08712345000018'], ... }
 */

export interface CatalogItem {
  sku: string;
  name: string;
  gtins: string[];
  unitGrams: number;
  toleranceGrams: number;
  variableMeasure: boolean;
  lotTracked: boolean;
  shelfLifeDays?: number;
  minShelfLifeDays: number;
}

interface Category {
  code: string;
  share: number;
  products: string[];
  sizes: Array<[label: string, grams: number]>;
  variableMeasure?: number;
  lotTracked: number;
  shelfLifeDays: [min: number, max: number];
}

const categories: Category[] = [
  { code: 'DAI', share: 0.12, products: ['Whole Milk', 'Semi-Skimmed Milk', 'Oat Milk', 'Greek Yoghurt', 'Skyr', 'Butter', 'Cream Cheese', 'Gouda', 'Cheddar', 'Mozzarella', 'Kefir', 'Custard'], sizes: [['200g', 210], ['500g', 515], ['1L', 1040], ['1.5L', 1560]], lotTracked: 0.9, shelfLifeDays: [7, 40] },
  { code: 'PRO', share: 0.12, products: ['Bananas', 'Apples Elstar', 'Tomatoes', 'Cucumber', 'Avocado', 'Broccoli', 'Carrots', 'Red Onions', 'Potatoes', 'Lemons', 'Strawberries', 'Blueberries', 'Spinach', 'Peppers'], sizes: [['per kg', 1000], ['500g', 500], ['1kg bag', 1010], ['each', 180]], variableMeasure: 0.35, lotTracked: 0.2, shelfLifeDays: [3, 21] },
  { code: 'BAK', share: 0.07, products: ['Sourdough Loaf', 'Croissants', 'Wholemeal Bread', 'Bagels', 'Tortilla Wraps', 'Brioche Buns', 'Rye Bread'], sizes: [['4 pack', 240], ['400g', 410], ['800g', 815]], lotTracked: 0.5, shelfLifeDays: [2, 10] },
  { code: 'MEA', share: 0.08, products: ['Chicken Breast', 'Minced Beef', 'Pork Sausages', 'Salmon Fillet', 'Smoked Ham', 'Bacon Rashers', 'Turkey Slices', 'Shrimps'], sizes: [['250g', 255], ['500g', 510], ['1kg', 1015]], variableMeasure: 0.3, lotTracked: 1, shelfLifeDays: [4, 14] },
  { code: 'FRZ', share: 0.08, products: ['Frozen Peas', 'Fish Fingers', 'Pizza Margherita', 'Vanilla Ice Cream', 'Frozen Berries', 'Fries'], sizes: [['450g', 470], ['750g', 780], ['1kg', 1030]], lotTracked: 0.6, shelfLifeDays: [180, 540] },
  { code: 'PAN', share: 0.2, products: ['Spaghetti', 'Penne', 'Basmati Rice', 'Rolled Oats', 'Plain Flour', 'Chopped Tomatoes', 'Chickpeas', 'Peanut Butter', 'Olive Oil', 'Honey', 'Muesli', 'Tuna Chunks', 'Coconut Milk'], sizes: [['400g', 420], ['500g', 520], ['1kg', 1030], ['750ml', 1180]], lotTracked: 0.3, shelfLifeDays: [180, 730] },
  { code: 'SNK', share: 0.1, products: ['Salted Crisps', 'Dark Chocolate', 'Milk Chocolate', 'Mixed Nuts', 'Rice Cakes', 'Popcorn', 'Cookies', 'Protein Bar'], sizes: [['45g', 50], ['100g', 108], ['150g', 160], ['200g', 212]], lotTracked: 0.2, shelfLifeDays: [90, 365] },
  { code: 'BEV', share: 0.13, products: ['Sparkling Water', 'Still Water', 'Cola', 'Orange Juice', 'Apple Juice', 'Iced Tea', 'Ground Coffee', 'Green Tea', 'Lager', 'Kombucha'], sizes: [['330ml', 350], ['500ml', 530], ['1L', 1060], ['1.5L', 1580], ['6x330ml', 2150]], lotTracked: 0.25, shelfLifeDays: [120, 540] },
  { code: 'HOU', share: 0.1, products: ['Dish Soap', 'Laundry Liquid', 'Toilet Paper', 'Kitchen Roll', 'Bin Bags', 'Toothpaste', 'Shampoo', 'Hand Soap', 'Nappies'], sizes: [['1 pack', 300], ['4 rolls', 420], ['500ml', 540], ['1.5L', 1600]], lotTracked: 0, shelfLifeDays: [0, 0] },
];
const brands = ['Polder', 'Verde', 'Noordvelt', 'Castello', 'Bakkerij', 'Alpina', 'Sunny', 'Dutch Farm', 'Oceano', 'Kompas', 'Basic', 'Organic Co'];

/** Mulberry32: tiny, fast and good enough to make a catalog reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** GS1 check digit (mod 10, weights 3 and 1 from the right) of the digits before it. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** GTIN-13 from a 12-digit body, as the 14-digit form the gateway stores. */
function gtin14(body12: string): string {
  return `0${body12}${gs1CheckDigit(body12)}`;
}

export function groceryCatalog(options: { count?: number; seed?: number } = {}): CatalogItem[] {
  const count = options.count ?? 3000;
  const random = seededRandom(options.seed ?? 7);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const items: CatalogItem[] = [];
  let serial = 0;
  for (const category of categories) {
    const n = category === categories[categories.length - 1] ? count - items.length : Math.round(count * category.share);
    for (let i = 0; i < n && items.length < count; i++) {
      serial++;
      const [size, grams] = pick(category.sizes);
      const variableMeasure = random() < (category.variableMeasure ?? 0);
      const lotTracked = random() < category.lotTracked;
      const [minLife, maxLife] = category.shelfLifeDays;
      const shelfLifeDays = maxLife > 0 ? Math.round(minLife + random() * (maxLife - minLife)) : undefined;
      // Company prefix 871234 (a made-up Dutch prefix), item reference from the serial.
      const gtins = [gtin14(`871234${String(serial).padStart(6, '0')}`)];
      if (random() < 0.1) gtins.push(gtin14(`871235${String(serial).padStart(6, '0')}`)); // a multipack/old label GTIN
      items.push({
        sku: `${category.code}-${String(serial).padStart(5, '0')}`,
        name: `${pick(brands)} ${pick(category.products)} ${variableMeasure ? 'by weight' : size}`,
        gtins,
        unitGrams: variableMeasure ? 0 : grams,
        toleranceGrams: variableMeasure ? 0 : Math.max(5, Math.round(grams * 0.03)),
        variableMeasure,
        lotTracked,
        shelfLifeDays,
        minShelfLifeDays: shelfLifeDays ? Math.max(1, Math.floor(shelfLifeDays / 3)) : 0,
      });
    }
  }
  return items;
}
