/**
 * A stand-in for node-hid at the HidBoundary: a device list the test changes (plug, unplug)
 * and open handles the test pushes recorded reports through.
 */
import { EventEmitter } from 'node:events';
import type { HidBoundary, HidDeviceInfo, HidHandle } from '../../../devices/transports/hidBoundary.ts';

export class FakeHandle extends EventEmitter implements HidHandle {
  closed = false;
  written: number[][] = [];
  write(bytes: number[]): number {
    this.written.push(bytes);
    return bytes.length;
  }
  close(): void {
    this.closed = true;
  }
  /** Delivers one input report, as node-hid's `data` event does. */
  report(bytes: number[]): void {
    this.emit('data', Buffer.from(bytes));
  }
}

export class FakeHid implements HidBoundary {
  list: HidDeviceInfo[] = [];
  readonly handles = new Map<string, FakeHandle>();

  devices(): HidDeviceInfo[] {
    return [...this.list];
  }

  open(path: string): HidHandle {
    if (!this.list.some((d) => d.path === path)) throw new Error(`could not open ${path}`);
    const handle = new FakeHandle();
    this.handles.set(path, handle);
    return handle;
  }

  plug(info: HidDeviceInfo): void {
    this.list.push(info);
  }

  /** Takes the device off the list; the open handle errors as node-hid's does on unplug. */
  unplug(path: string, withReadError = true): void {
    this.list = this.list.filter((d) => d.path !== path);
    const handle = this.handles.get(path);
    if (handle && withReadError) handle.emit('error', new Error('could not read from HID device'));
  }

  handle(path: string): FakeHandle {
    const h = this.handles.get(path);
    if (!h) throw new Error(`${path} is not open`);
    return h;
  }
}
