/**
 * SSCC (AI 00): extension digit + GS1 company prefix + serial reference + check digit, 18 digits.
 * The generator hands out serial references in order and never twice: it saves the next free
 * number before it returns one, so a crash can skip numbers but never reuse them.
 */
import { gs1CheckDigit } from './gtin.ts';

/** Where the next free serial reference is kept; the gateway core backs it with SQLite. */
export interface SerialStore {
  load(): bigint | number;
  save(next: bigint): void;
}

export class InMemorySerialStore implements SerialStore {
  private next: bigint;
  constructor(start: bigint | number = 0n) {
    this.next = BigInt(start);
  }
  load(): bigint {
    return this.next;
  }
  save(next: bigint): void {
    this.next = next;
  }
}

export interface SsccGeneratorOptions {
  /** GS1 company prefix, 6 to 12 digits (GenSpecs 1.4.4). */
  companyPrefix: string;
  extensionDigit?: number;
  store: SerialStore;
}

export class SsccExhaustedError extends Error {
  override readonly name = 'SsccExhaustedError';
}

export class SsccGenerator {
  private readonly companyPrefix: string;
  private readonly extensionDigit: number;
  private readonly store: SerialStore;
  /** Serial references have 16 - prefix length digits: 10^that is the first number that does not fit. */
  readonly capacity: bigint;

  constructor(options: SsccGeneratorOptions) {
    if (!/^\d{6,12}$/.test(options.companyPrefix)) throw new RangeError(`SSCC company prefix must be 6 to 12 digits, got "${options.companyPrefix}"`);
    const ext = options.extensionDigit ?? 0;
    if (!Number.isInteger(ext) || ext < 0 || ext > 9) throw new RangeError(`SSCC extension digit must be 0-9, got ${ext}`);
    this.companyPrefix = options.companyPrefix;
    this.extensionDigit = ext;
    this.store = options.store;
    this.capacity = 10n ** BigInt(16 - options.companyPrefix.length);
  }

  /** The next SSCC, 18 digits. Throws SsccExhaustedError when every serial reference is used. */
  next(): string {
    return this.allocate(1)[0] as string;
  }

  /** `count` consecutive SSCCs with a single save: cheaper when printing a batch of bag labels. */
  allocate(count: number): string[] {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    const first = BigInt(this.store.load());
    if (first < 0n) throw new RangeError(`stored next serial reference is negative (${first})`);
    const after = first + BigInt(count);
    if (after > this.capacity) {
      throw new SsccExhaustedError(`SSCC serial references for company prefix ${this.companyPrefix} are used up (${this.capacity} in total); a new extension digit or prefix is needed`);
    }
    this.store.save(after);
    const out: string[] = [];
    for (let n = first; n < after; n++) out.push(this.format(n));
    return out;
  }

  private format(serial: bigint): string {
    const body = String(this.extensionDigit) + this.companyPrefix + serial.toString().padStart(16 - this.companyPrefix.length, '0');
    return body + String(gs1CheckDigit(body));
  }
}
