/**
 * Finds the coordinator dongle's serial port: the configured path, or the port whose USB ids
 * match, so a dongle that comes back as /dev/ttyUSB1 after a replug is found again.
 *
 * @example
 *   await resolveSerialPath({ match: { vendorId: '0x10c4', productId: '0xea60' } }); // '/dev/ttyUSB1'
 */
import { SerialPort } from 'serialport';
import type { ZigbeeConfig } from '../../config/schema.ts';
import { normalizeUsbId } from '../transports/serialConnector.ts';

type SerialConfig = Pick<ZigbeeConfig['serial'], 'path' | 'match'>;

export function describeSerial(serial: SerialConfig): string {
  if (serial.path) return serial.path;
  const m = serial.match ?? {};
  const ids = [m.vendorId, m.productId].filter((x) => x !== undefined).map((x) => normalizeUsbId(x!)).join(':');
  return `usb ${ids}${m.serialNumber ? ` serial ${m.serialNumber}` : ''}`;
}

export async function resolveSerialPath(serial: SerialConfig): Promise<string> {
  if (serial.path) return serial.path;
  const m = serial.match ?? {};
  const ports = await SerialPort.list();
  const found = ports.find(
    (p) =>
      (m.vendorId === undefined || (p.vendorId ?? '').toLowerCase() === normalizeUsbId(m.vendorId)) &&
      (m.productId === undefined || (p.productId ?? '').toLowerCase() === normalizeUsbId(m.productId)) &&
      (m.serialNumber === undefined || p.serialNumber === m.serialNumber),
  );
  if (!found) throw new Error(`no serial port matches ${describeSerial(serial)} (found ${ports.length} ports); is the Zigbee dongle plugged in?`);
  return found.path;
}
