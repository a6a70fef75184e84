/**
 * Opens a serial port with serialport, by path or by USB ids (vendor, product, serial number),
 * so an adapter that re-enumerates as /dev/ttyUSB2 after a replug is found again. When the
 * port vanishes serialport emits `close` with `disconnected: true` (not `error`); both end the
 * connection with a reason.
 *
 * @example
 *   const connector = serialConnector({ type: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', delimiter: '\r\n' });
 */
import { SerialPort } from 'serialport';
import type { Connection, Connector } from './connection.ts';

export interface SerialSettings {
  path?: string;
  match?: { vendorId?: number | string; productId?: number | string; serialNumber?: string };
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  stopBits: 1 | 1.5 | 2;
  parity: 'none' | 'even' | 'odd' | 'mark' | 'space';
}

/** "0x0C2E", "0c2e" or 3118 -> "0c2e", the form `SerialPort.list()` reports. */
export function normalizeUsbId(id: number | string): string {
  const n = typeof id === 'number' ? id : parseInt(id.replace(/^0x/i, ''), 16);
  return n.toString(16).padStart(4, '0');
}

export function describeSerial(settings: SerialSettings): string {
  if (settings.path) return settings.path;
  const m = settings.match ?? {};
  const ids = [m.vendorId, m.productId].filter((x) => x !== undefined).map((x) => normalizeUsbId(x!)).join(':');
  return `usb ${ids}${m.serialNumber ? ` serial ${m.serialNumber}` : ''}`;
}

async function findPath(settings: SerialSettings): Promise<string> {
  if (settings.path) return settings.path;
  const m = settings.match ?? {};
  const ports = await SerialPort.list();
  const found = ports.find(
    (p) =>
      (m.vendorId === undefined || (p.vendorId ?? '').toLowerCase() === normalizeUsbId(m.vendorId)) &&
      (m.productId === undefined || (p.productId ?? '').toLowerCase() === normalizeUsbId(m.productId)) &&
      (m.serialNumber === undefined || p.serialNumber === m.serialNumber),
  );
  if (!found) throw new Error(`no serial port matches ${describeSerial(settings)} (found ${ports.length} ports); is the adapter plugged in?`);
  return found.path;
}

export function serialConnector(settings: SerialSettings): Connector {
  return {
    address: describeSerial(settings),
    async open(): Promise<Connection> {
      const path = await findPath(settings);
      const port = new SerialPort({ path, baudRate: settings.baudRate, dataBits: settings.dataBits, stopBits: settings.stopBits, parity: settings.parity, autoOpen: false });
      await new Promise<void>((resolve, reject) =>
        port.open((err) => (err ? reject(new Error(`cannot open ${path}: ${err.message}`)) : resolve())),
      );
      let closing = false;
      let closeListener: ((reason: string) => void) | undefined;
      let ended = false;
      const end = (reason: string) => {
        if (ended || closing) return;
        ended = true;
        closeListener?.(reason);
      };
      port.on('close', (err?: { disconnected?: boolean; message?: string }) =>
        end(err?.disconnected ? `${path} disappeared (unplugged?)` : `${path} closed${err?.message ? `: ${err.message}` : ''}`),
      );
      port.on('error', (err) => end(`${path}: ${err.message}`));
      return {
        address: path,
        onData: (listener) => port.on('data', listener),
        onClose: (listener) => (closeListener = listener),
        write: (bytes) =>
          new Promise<void>((resolve, reject) => port.write(bytes, (err) => (err ? reject(err) : port.drain(() => resolve())))),
        close: () =>
          new Promise<void>((resolve) => {
            closing = true;
            if (!port.isOpen) return resolve();
            port.close(() => resolve());
          }),
      };
    },
  };
}
