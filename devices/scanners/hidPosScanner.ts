/**
 * USB HID POS barcode scanners (usage page 0x8C, "Bar Code Scanner"), as Honeywell, Zebra and
 * Datalogic send them in "HID POS" mode. The scanned-data report, as node-hid delivers it:
 *
 *   [0] report id 2   [1] data length in this report   [2..4] symbology identifier
 *   [5..5+len) data   [last byte] bit 0 set: more data follows in the next report
 *
 * The symbology bytes carry the AIM identifier when the scanner is set to send it (e.g. "]C1");
 * it is put in front of the data so the decoder sees `]C1...`, as from a serial scanner.
 * Zero bytes in the symbology field mean "not sent".
 *
 * @example
 *   const reader = new HidPosScanReader();
 *   reader.push(report); // [{ ok: true, value: ']E04006381333931' }] once the last part arrived
 */
import type { Frame } from '../frames.ts';

export const hidScanReportId = 2;

export class HidPosScanReader {
  private parts: Buffer[] = [];

  push(report: Buffer): Frame<string>[] {
    if (report.length < 6) return [{ ok: false, reason: `report is ${report.length} bytes, too short for a HID POS scan report`, bytes: report }];
    if (report[0] !== hidScanReportId) return [{ ok: false, reason: `report id ${report[0]} is not the scanned-data report (2)`, bytes: report }];
    const length = report[1]!;
    if (5 + length > report.length - 1) {
      return [{ ok: false, reason: `length byte says ${length} data bytes, the report holds at most ${report.length - 6}`, bytes: report }];
    }
    const symbology = report.subarray(2, 5).filter((b) => b !== 0);
    if (this.parts.length === 0 && symbology.length > 0) {
      const aim = Buffer.from(symbology).toString('latin1');
      this.parts.push(Buffer.from(aim.startsWith(']') ? aim : `]${aim}`, 'latin1'));
    }
    this.parts.push(report.subarray(5, 5 + length));
    const more = (report[report.length - 1]! & 0x01) === 1;
    if (more) return [];
    const data = Buffer.concat(this.parts).toString('latin1');
    this.parts = [];
    return [{ ok: true, value: data, bytes: report }];
  }

  reset(): void {
    this.parts = [];
  }
}
