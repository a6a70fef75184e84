/**
 * `darkstore-gateway barcode DATA [--hr] [--market SE] [--fnc1 SUBST] [--help]`: decode one scan
 * and print the result. Also runnable alone: `npx tsx devices/barcode/cli.ts ']C1...'`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBarcode } from './decodeBarcode.ts';
import { BarcodeError } from './errors.ts';
import { MARKETS } from './marketLayouts.ts';
import type { BarcodeOptions, BarcodeResult, Market } from './types.ts';

const USAGE = `Usage: darkstore-gateway barcode DATA [--hr] [--market SE|DE|GB|DK|NL] [--fnc1 SUBST]... [--help]

Decodes one scan (GS1-128/DataMatrix/QR/DataBar element string with or without an AIM
identifier such as ]C1, "(01)...(17)..." text, a GS1 Digital Link URI, a GTIN, or a store
label) and prints the result as JSON. Exit status 0 when it decodes, 1 with the reason when not.

  --hr           print the human-readable interpretation instead of JSON
  --market XX    variable-measure layout for prefixes 02/20-29 (${MARKETS.join(', ')})
  --fnc1 SUBST   a string the scanner sends for FNC1, e.g. --fnc1 '~' (repeatable)
  --help         this text

Example: darkstore-gateway barcode ']C101095011015300031726123110LOT42'`;

function humanReadable(result: BarcodeResult): string[] {
  const lines: string[] = [];
  if (result.hri) lines.push(result.hri);
  for (const e of result.elements) lines.push(`(${e.ai}) ${e.title}: ${String(e.value)}${e.unit ? ` ${e.unit}` : ''}${e.currency ? ` ${e.currency}` : ''}`);
  const vm = result.variableMeasure;
  if (vm?.kind) lines.push(`variable measure (${vm.market ?? 'custom'}): item ${vm.itemReference}, ${vm.kind} ${vm.value} ${vm.unit ?? vm.currency ?? ''}`.trimEnd());
  if (result.storeLabel) lines.push(`store label: ${result.storeLabel.kind} ${result.storeLabel.command ?? result.storeLabel.id}`);
  if (result.text !== null) lines.push(`text: ${result.text}`);
  for (const w of result.warnings) lines.push(`warning: ${w.message}`);
  return lines;
}

export async function barcodeCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const options: BarcodeOptions = {};
  const substitutes: string[] = [];
  let data: string | null = null;
  let hr = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') { out(USAGE); return 0; }
    if (arg === '--hr') { hr = true; continue; }
    if (arg === '--market' || arg === '--fnc1') {
      const value = argv[++i];
      if (value === undefined) { out(`${arg} needs a value\n\n${USAGE}`); return 1; }
      if (arg === '--fnc1') { substitutes.push(value); continue; }
      const market = value.toUpperCase() as Market;
      if (!MARKETS.includes(market)) { out(`unknown market "${value}"; known: ${MARKETS.join(', ')}`); return 1; }
      options.market = market;
      continue;
    }
    if (data !== null) { out(`only one DATA argument, got "${data}" and "${arg}"\n\n${USAGE}`); return 1; }
    data = arg;
  }
  if (data === null) { out(USAGE); return 1; }
  if (substitutes.length > 0) options.fnc1Substitutes = substitutes;
  try {
    const result = decodeBarcode(data, options);
    if (hr) humanReadable(result).forEach((line) => out(line));
    else out(JSON.stringify(result, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof BarcodeError) { out(`error: ${err.message}`); return 1; }
    throw err;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await barcodeCommand(process.argv.slice(2), (line) => console.log(line));
}
