/**
 * The store's own labels: bins, totes, bags, staff badges, ASNs (delivery notes) and command barcodes, told apart by a
 * configurable prefix (Code 128 or QR without GS1 data). Command barcodes let a picker confirm,
 * short-pick, cancel or call an override with the scanner already in hand.
 */
import { BarcodeError } from './errors.ts';
import type { StoreCommand, StoreLabel, StoreLabelKind, StoreLabelOptions } from './types.ts';

export const DEFAULT_STORE_LABELS: Required<Omit<StoreLabelOptions, 'commands'>> & { commands: Record<StoreCommand, string> } = {
  bin: 'BIN-',
  tote: 'TOTE-',
  bag: 'BAG-',
  badge: 'EMP-',
  asn: 'ASN-',
  command: 'CMD-',
  commands: { confirm: 'CONFIRM', short: 'SHORT', cancel: 'CANCEL', override: 'OVERRIDE', nextBag: 'NEXTBAG' },
};

const KINDS: readonly Exclude<StoreLabelKind, 'sscc'>[] = ['bin', 'tote', 'bag', 'badge', 'asn', 'command'];

/**
 * The store label `text` is, or null. The longest matching prefix wins, so `B-` and `BAG-` can
 * live side by side. `position` is where `text` starts in the input.
 */
export function matchStoreLabel(text: string, options: StoreLabelOptions | undefined, position: number): StoreLabel | null {
  const merged = { ...DEFAULT_STORE_LABELS, ...options };
  let best: { kind: Exclude<StoreLabelKind, 'sscc'>; prefix: string } | null = null;
  for (const kind of KINDS) {
    const prefix = merged[kind];
    if (prefix && text.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) best = { kind, prefix };
  }
  if (!best) return null;
  const id = text.slice(best.prefix.length);
  if (id.length === 0) throw new BarcodeError(position + best.prefix.length - 1, `${best.kind} label "${text}" has nothing after its prefix "${best.prefix}"`);
  if (best.kind !== 'command') return { kind: best.kind, id };
  const commands = { ...DEFAULT_STORE_LABELS.commands, ...options?.commands };
  const entry = (Object.entries(commands) as [StoreCommand, string][]).find(([, code]) => code === id);
  if (!entry) {
    throw new BarcodeError(position + best.prefix.length, `unknown command "${id}"; known: ${Object.values(commands).join(', ')}`);
  }
  return { kind: 'command', id, command: entry[0] };
}
