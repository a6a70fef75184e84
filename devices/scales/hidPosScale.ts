/**
 * USB HID POS scales (usage page 0x8D, "Scale"), e.g. the Dymo M-series, Stamps.com and many
 * shipping scales. The weight input report is 6 bytes on the wire as node-hid delivers it:
 *
 *   [0] report id 3   [1] status   [2] unit   [3] exponent (signed!)   [4..5] weight, uint16 LE
 *
 * grams = weight * 10^exponent in the unit. Popular Node examples read the exponent as unsigned
 * (0xFF becomes 255 instead of -1) and treat unit 11 (ounces) as "tenths of ounces"; both are
 * wrong: the exponent is a signed byte and says the scaling for every unit.
 * Status: 1 fault, 2 stable at zero, 3 in motion, 4 stable, 5 under zero, 6 over weight,
 * 7 needs calibration, 8 needs re-zeroing.
 *
 * @example
 *   parseHidPosScaleReport(Buffer.from([3, 4, 2, 0xff, 0x1d, 0x10])); // 4125 * 10^-1 g = 412.5 g, stable
 */
import type { Frame } from '../frames.ts';
import { roundGrams } from './units.ts';
import type { ScaleMessage } from './scaleProtocol.ts';

export const hidScaleReportId = 3;

/** HID POS usage table, Weight Unit (0x8D page): unit code -> grams per unit. */
export const hidScaleUnits: Record<number, { name: string; grams: number }> = {
  1: { name: 'mg', grams: 0.001 },
  2: { name: 'g', grams: 1 },
  3: { name: 'kg', grams: 1000 },
  4: { name: 'carat', grams: 0.2 },
  5: { name: 'tael', grams: 37.799364167 },
  6: { name: 'grain', grams: 0.06479891 },
  7: { name: 'pennyweight', grams: 1.55517384 },
  8: { name: 'metric ton', grams: 1_000_000 },
  9: { name: 'avoirdupois ton', grams: 907_184.74 },
  10: { name: 'troy ounce', grams: 31.1034768 },
  11: { name: 'ounce', grams: 28.349523125 },
  12: { name: 'pound', grams: 453.59237 },
};

const statusText: Record<number, string> = {
  1: 'the scale reports a fault',
  5: 'under zero: zero the scale',
  6: 'over weight: take something off the scale',
  7: 'the scale needs calibration',
  8: 'the scale needs re-zeroing',
};

export function parseHidPosScaleReport(report: Buffer): Frame<ScaleMessage> {
  if (report.length !== 6) return { ok: false, reason: `report is ${report.length} bytes, a HID POS weight report is 6`, bytes: report };
  if (report[0] !== hidScaleReportId) return { ok: false, reason: `report id ${report[0]} is not the weight report (3)`, bytes: report };
  const status = report[1]!;
  const unit = hidScaleUnits[report[2]!];
  const exponent = report.readInt8(3);
  const raw = report.readUInt16LE(4);
  if (status === 2) return { ok: true, value: { type: 'weight', grams: 0, stable: true }, bytes: report };
  if (statusText[status]) return { ok: true, value: { type: 'status', reason: statusText[status]! }, bytes: report };
  if (status !== 3 && status !== 4) return { ok: false, reason: `unknown status ${status}`, bytes: report };
  if (!unit) return { ok: false, reason: `unknown unit code ${report[2]}; set the scale to g, kg, oz or lb`, bytes: report };
  const grams = roundGrams(raw * 10 ** exponent * unit.grams);
  return { ok: true, value: { type: 'weight', grams, stable: status === 4 }, bytes: report };
}
