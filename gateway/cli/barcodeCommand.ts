import { barcodeCommand } from '../../devices/barcode/cli.ts';
import type { CliCommand } from './main.ts';

/** `barcode DATA`: decodes scanner data the way the floor workflows see it (devices/barcode). */
export const barcodeCli: CliCommand = {
  name: 'barcode',
  summary: 'Decode a barcode (GS1, EAN/UPC, Digital Link, store labels) and print the result as JSON',
  usage: 'barcode DATA [--hr] [--market SE|DE|GB|DK|NL] [--fnc1 SUBSTITUTE]   (see docs/barcodes.md)',
  run: (argv) => barcodeCommand(argv, (line) => console.log(line)),
};
