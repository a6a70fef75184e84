/**
 * What is plugged into this machine, for an admin adding a device: serial ports with their USB
 * vendor, product and serial number (what `transport.match` needs), and HID devices with their
 * usage page (0x8C POS scanner, 0x8D POS scale, 0x01 keyboard wedge).
 *
 * @example
 *   const ports = await listSerialPorts();
 *   // [{ path: '/dev/ttyUSB0', vendorId: '0c2e', productId: '0b61', serialNumber: 'A1', manufacturer: 'Honeywell' }]
 */
import { SerialPort } from 'serialport';
import { nodeHidBoundary, type HidBoundary } from './transports/hidBoundary.ts';

export interface DiscoveredSerialPort {
  path: string;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  manufacturer?: string;
}

export interface DiscoveredHidDevice {
  path?: string;
  vendorId: string;
  productId: string;
  serialNumber?: string;
  product?: string;
  usagePage?: string;
  kind: 'pos-scanner' | 'pos-scale' | 'keyboard' | 'other';
}

const hex = (n: number | undefined) => (n === undefined ? undefined : `0x${n.toString(16).padStart(4, '0')}`);

export async function listSerialPorts(list: () => Promise<DiscoveredSerialPort[]> = () => SerialPort.list()): Promise<DiscoveredSerialPort[]> {
  const ports = await list();
  return ports.map((p) => ({
    path: p.path,
    ...(p.vendorId ? { vendorId: p.vendorId.toLowerCase() } : {}),
    ...(p.productId ? { productId: p.productId.toLowerCase() } : {}),
    ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
    ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
  }));
}

export async function listHidDevices(boundary?: HidBoundary): Promise<DiscoveredHidDevice[]> {
  const hid = boundary ?? (await nodeHidBoundary());
  return hid.devices().map((d) => ({
    ...(d.path ? { path: d.path } : {}),
    vendorId: hex(d.vendorId)!,
    productId: hex(d.productId)!,
    ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
    ...(d.product ? { product: d.product } : {}),
    ...(d.usagePage !== undefined ? { usagePage: hex(d.usagePage) } : {}),
    kind: d.usagePage === 0x8c ? 'pos-scanner' : d.usagePage === 0x8d ? 'pos-scale' : d.usagePage === 0x01 && d.usage === 0x06 ? 'keyboard' : 'other',
  }));
}
