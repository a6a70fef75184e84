/**
 * The small slice of node-hid the gateway uses, as an interface: list devices, open one, read
 * reports. Production uses `nodeHidBoundary()` (node-hid, loaded on first use so a store with
 * no HID device never needs libusb); tests feed recorded reports through a fake, because this
 * kernel cannot create virtual HID devices.
 *
 * @example
 *   const hid = await nodeHidBoundary();
 *   hid.devices().filter((d) => d.vendorId === 0x0c2e);
 */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  serialNumber?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
}

/** An open HID device, as node-hid's `HID.HID` behaves: `data` per input report, `error` on loss. */
export interface HidHandle {
  on(event: 'data', listener: (report: Buffer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  write(bytes: number[]): number;
  close(): void;
}

export interface HidBoundary {
  devices(): HidDeviceInfo[];
  open(path: string): HidHandle;
}

/** node-hid behind the boundary. Rejects with what to install when libusb is missing. */
export async function nodeHidBoundary(): Promise<HidBoundary> {
  let hid: typeof import('node-hid');
  try {
    hid = await import('node-hid');
  } catch (err) {
    throw new Error(`node-hid cannot load (${(err as Error).message}); install the Debian package libusb-1.0-0`);
  }
  return {
    devices: () => hid.devices() as HidDeviceInfo[],
    open: (path) => new hid.HID(path) as unknown as HidHandle,
  };
}
