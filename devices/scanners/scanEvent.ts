/**
 * Builds a scan event from what a scanner sent: the raw data plus the decoded barcode, or the
 * decoder's reason when it cannot decode. Decoding happens here, once, at the edge; workflows
 * read `barcode` and never parse scanner text again.
 *
 * @example
 *   toScanEvent(']E04006381333931', {}); // { kind: 'scan', data: ']E04006381333931', barcode: { gtin: '04006381333931', ... } }
 */
import { decodeBarcode, type BarcodeOptions } from '../barcode/index.ts';
import type { ScanEvent } from '../driver.ts';

export function toScanEvent(data: string, options: BarcodeOptions, id?: string): ScanEvent {
  const event: ScanEvent = { kind: 'scan', data, ...(id !== undefined ? { id } : {}) };
  try {
    event.barcode = decodeBarcode(data, options);
  } catch (err) {
    event.barcodeError = (err as Error).message;
  }
  return event;
}

// Control bytes a barcode can legitimately carry: GS (FNC1), RS and EOT (ISO 15434 envelopes).
const allowedControls = new Set([0x1d, 0x1e, 0x04]);

/**
 * Strips the configured prefix and suffix from a scanner line; undefined plus a reason when the
 * line is not a scan (control bytes of line noise, a missing prefix).
 */
export function stripScannerLine(line: Buffer, settings: { prefix: string; suffix: string }): { ok: true; data: string } | { ok: false; reason: string } {
  let text = line.toString('latin1');
  if (settings.prefix) {
    if (!text.startsWith(settings.prefix)) return { ok: false, reason: `line does not start with the configured prefix ${JSON.stringify(settings.prefix)}` };
    text = text.slice(settings.prefix.length);
  }
  if (settings.suffix) {
    if (!text.endsWith(settings.suffix)) return { ok: false, reason: `line does not end with the configured suffix ${JSON.stringify(settings.suffix)}` };
    text = text.slice(0, -settings.suffix.length);
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && !allowedControls.has(c)) || c === 0x7f) {
      return { ok: false, reason: `control byte 0x${c.toString(16).padStart(2, '0')} at position ${i}; line noise or a wrong baud rate?` };
    }
  }
  if (text === '') return { ok: false, reason: 'empty scan' };
  // Scanners send UTF-8 for QR codes with non-ASCII text; barcodes themselves are ASCII.
  return { ok: true, data: Buffer.from(text, 'latin1').toString('utf8') };
}
