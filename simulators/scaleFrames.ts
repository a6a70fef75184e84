/**
 * Byte-exact frames as real scales send them, for the simulators and for tests that feed
 * decoders directly. Encoders, so they live with the simulators, not with the drivers.
 *
 * @example
 *   toledoFrame({ grams: 412.5, decimals: 1, unit: 'g' }); // STX SWA SWB SWC "004125" "000000" CR checksum
 *   casFrame({ grams: 1234, stable: true });              // "ST,GS,\x01\xc0,  1.234  kg\r\n"
 *   mtSicsWeight(412.5, true);                            // "S S     412.50 g\r\n"
 */
import { toledoChecksum } from '../devices/scales/toledoContinuous.ts';

export function mtSicsWeight(grams: number, stable: boolean, unit: 'g' | 'kg' = 'g'): string {
  const value = unit === 'kg' ? (grams / 1000).toFixed(4) : grams.toFixed(2);
  return `S ${stable ? 'S' : 'D'} ${value.padStart(10)} ${unit}\r\n`;
}

export interface ToledoFrameOptions {
  grams: number;
  tareGrams?: number;
  /** Digits after the decimal point, 0-5 (SWA bits 0-2 = decimals + 2). */
  decimals?: number;
  unit?: 'g' | 'kg' | 'lb';
  motion?: boolean;
  net?: boolean;
  outOfRange?: boolean;
  checksum?: boolean;
  /** Replace the checksum with this byte (to test a wrong one). */
  badChecksum?: number;
  /** SWC unit bits, to simulate a unit the gateway does not know. */
  swcUnit?: number;
}

export function toledoFrame(o: ToledoFrameOptions): Buffer {
  const decimals = o.decimals ?? 0;
  const unit = o.unit ?? 'g';
  const perUnit = unit === 'kg' ? 1000 : unit === 'lb' ? 453.59237 : 1;
  const digits = (grams: number) => String(Math.round((Math.abs(grams) / perUnit) * 10 ** decimals)).padStart(6, '0').slice(-6);
  const swa = 0x20 | (0x01 << 3) | ((decimals + 2) & 0x07);
  const swb = 0x20 | (o.net ? 0x01 : 0) | (o.grams < 0 ? 0x02 : 0) | (o.outOfRange ? 0x04 : 0) | (o.motion ? 0x08 : 0) | (unit === 'kg' ? 0x10 : 0);
  const swc = 0x20 | (o.swcUnit ?? (unit === 'g' ? 1 : 0));
  const body = Buffer.concat([Buffer.from([0x02, swa, swb, swc]), Buffer.from(digits(o.grams) + digits(o.tareGrams ?? 0), 'latin1'), Buffer.from([0x0d])]);
  if (o.checksum === false) return body;
  return Buffer.concat([body, Buffer.from([o.badChecksum ?? toledoChecksum(body)])]);
}

export interface CasFrameOptions {
  grams: number;
  stable?: boolean;
  net?: boolean;
  overload?: boolean;
  unit?: 'kg' | 'g' | 'lb' | 'oz' | 'xx';
  deviceId?: number;
}

export function casFrame(o: CasFrameOptions): Buffer {
  const unit = o.unit ?? 'kg';
  const value = unit === 'kg' ? (o.grams / 1000).toFixed(3) : o.grams.toFixed(1);
  const h1 = o.overload ? 'OL' : o.stable === false ? 'US' : 'ST';
  const lamp = 0x80 | (o.stable === false ? 0 : 0x40) | (o.net ? 0 : 0x04);
  const data = (o.grams < 0 ? '-' : '+') + value.replace('-', '').padStart(7, '0');
  return Buffer.concat([
    Buffer.from(`${h1},${o.net ? 'NT' : 'GS'},`, 'latin1'),
    Buffer.from([0x30 + (o.deviceId ?? 1), lamp]),
    Buffer.from(`,${data.slice(-8)} ${unit.padStart(2)}\r\n`, 'latin1'),
  ]);
}
