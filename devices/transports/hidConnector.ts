/**
 * Finds a HID device by vendor id, product id, serial number or path in the device list and
 * opens it. While open, the list is polled: a device that is no longer listed is unplugged,
 * even when the read has not failed yet (hidraw on some hubs keeps a dead handle quiet).
 * Replug is noticed by the reconnecting link retrying `open()`, which reads the list again.
 *
 * @example
 *   const connector = hidConnector({ vendorId: 0x0c2e, productId: 0x0b61 }, hid);
 */
import { normalizeUsbId } from './serialConnector.ts';
import type { Connection, Connector } from './connection.ts';
import type { HidBoundary, HidDeviceInfo } from './hidBoundary.ts';

export interface HidMatch {
  vendorId?: number | string;
  productId?: number | string;
  serialNumber?: string;
  path?: string;
}

export function describeHid(match: HidMatch): string {
  if (match.path) return match.path;
  const ids = [match.vendorId, match.productId].filter((x) => x !== undefined).map((x) => normalizeUsbId(x!)).join(':');
  return `usb ${ids || 'any'}${match.serialNumber ? ` serial ${match.serialNumber}` : ''}`;
}

export function matchesHid(match: HidMatch, d: HidDeviceInfo): boolean {
  return (
    (match.vendorId === undefined || normalizeUsbId(d.vendorId) === normalizeUsbId(match.vendorId)) &&
    (match.productId === undefined || normalizeUsbId(d.productId) === normalizeUsbId(match.productId)) &&
    (match.serialNumber === undefined || d.serialNumber === match.serialNumber) &&
    (match.path === undefined || d.path === match.path)
  );
}

export function hidConnector(match: HidMatch, boundary: () => Promise<HidBoundary>, pollMs = 500): Connector {
  const address = describeHid(match);
  return {
    address,
    async open(): Promise<Connection> {
      const hid = await boundary();
      const info = hid.devices().find((d) => matchesHid(match, d) && d.path);
      if (!info) throw new Error(`no HID device matches ${address}; is it plugged in (and readable: udev rule for hidraw)?`);
      const path = info.path!;
      let handle: ReturnType<HidBoundary['open']>;
      try {
        handle = hid.open(path);
      } catch (err) {
        throw new Error(`cannot open HID ${path}: ${(err as Error).message}; check the hidraw permissions`);
      }
      let closed = false;
      let closeListener: ((reason: string) => void) | undefined;
      const end = (reason: string) => {
        if (closed) return;
        closed = true;
        clearInterval(watch);
        try {
          handle.close();
        } catch {
          // already gone with the device
        }
        closeListener?.(reason);
      };
      const watch = setInterval(() => {
        if (!hid.devices().some((d) => d.path === path)) end(`HID ${path} is no longer listed (unplugged?)`);
      }, pollMs);
      handle.on('error', (err) => end(`HID ${path}: ${err.message}`));
      return {
        address: path,
        onData: (listener) => handle.on('data', listener),
        onClose: (listener) => (closeListener = listener),
        write: async (bytes) => {
          handle.write([...bytes]);
        },
        close: async () => {
          closeListener = undefined;
          end('closed');
        },
      };
    },
  };
}
