/**
 * What the console's buttons do to devices: light a bin, blink a light, inject a scan as if the
 * scanner had read it, print a test label. Commands go out through the device command router
 * (MQTT devices get the contract, others their driver).
 */
import type { GatewayConfig } from '../../config/schema.ts';
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import { ApiError } from '../admin/apiRouter.ts';
import type { DeviceActions } from '../admin/routes/layoutRoutes.ts';
import type { DeviceHealth } from '../../devices/driver.ts';
import type { EventBus } from './eventBus.ts';
import type { DriverCommands } from './deviceCommandRouter.ts';
import { blinkCommand, blinkOffCommand, testLabelCommand } from './deviceTestActions.ts';

export interface CommandSender {
  sendCommand(deviceId: string, command: DeviceCommandPayload): Promise<void>;
}

export class ConsoleDeviceActions implements DeviceActions {
  constructor(
    private readonly deps: {
      config: () => GatewayConfig;
      sender: () => CommandSender;
      /** Typed commands to drivers, for what the MQTT contract cannot carry (ESC/POS, job ids). */
      drivers: () => DriverCommands;
      bus: EventBus;
      health: (deviceId: string) => DeviceHealth | undefined;
    },
  ) {}

  async lightBin(binId: string, color: string, seconds: number): Promise<void> {
    const bin = this.deps.config().layout.bins.find((b) => b.id === binId);
    if (!bin?.light) throw new ApiError(409, `bin "${binId}" has no light`);
    const { device, address } = bin.light;
    await this.deps.sender().sendCommand(device, { kind: 'light', color: color as 'blue', blink: true, text: binId.slice(-8), address });
    setTimeout(() => void this.deps.sender().sendCommand(device, { kind: 'light', color: 'off', address }).catch(() => undefined), seconds * 1000).unref();
  }

  /** The next weight the scale reports, or undefined after `ms`. */
  private nextWeight(deviceId: string, ms: number): Promise<{ grams: number; stable: boolean } | undefined> {
    const owner = {};
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.deps.bus.removeOwner(owner);
        resolve(undefined);
      }, ms);
      this.deps.bus.onDeviceEvent(
        owner,
        (id, event) => {
          if (id !== deviceId || event.kind !== 'weight') return;
          clearTimeout(timer);
          this.deps.bus.removeOwner(owner);
          resolve({ grams: event.grams, stable: event.stable });
        },
        { live: true },
      );
    });
  }

  async test(deviceId: string, action: string, args: { data?: string }): Promise<string> {
    const device = this.deps.config().devices.find((d) => d.id === deviceId)!;
    switch (action) {
      case 'scan':
        if (device.class !== 'scanner') throw new ApiError(409, `"${deviceId}" is a ${device.class}, not a scanner`);
        if (!args.data) throw new ApiError(400, 'body.data: the barcode to inject is required');
        this.deps.bus.emitDeviceEvent(deviceId, { kind: 'scan', data: args.data });
        return `scan "${args.data}" injected as if ${deviceId} had read it`;
      case 'blink':
        if (device.class !== 'light') throw new ApiError(409, `"${deviceId}" is a ${device.class}; only lights blink`);
        await this.deps.sender().sendCommand(deviceId, blinkCommand());
        setTimeout(() => void this.deps.sender().sendCommand(deviceId, blinkOffCommand).catch(() => undefined), 3000).unref();
        return `${deviceId} blinks white for 3 s`;
      case 'print-test': {
        if (device.class !== 'printer') throw new ApiError(409, `"${deviceId}" is a ${device.class}; only printers print a test label`);
        const command = await testLabelCommand(device);
        if (device.transport.type === 'mqtt') {
          if (command.format !== 'zpl') throw new ApiError(409, `"${deviceId}" is an MQTT printer; the device contract carries ZPL only`);
          await this.deps.sender().sendCommand(deviceId, { kind: 'print', format: 'zpl', document: command.document });
          return `test label sent to ${deviceId}`;
        }
        await this.deps.drivers().send(deviceId, command);
        const health = this.deps.health(deviceId);
        return `test label queued for ${deviceId} (job ${command.jobId}); ${health?.state === 'online' ? 'it prints now' : `the printer is ${health?.state ?? 'unknown'}${health?.lastError ? ` (${health.lastError.reason})` : ''}: it prints once the printer is ready`}`;
      }
      case 'tare':
        if (device.class !== 'scale') throw new ApiError(409, `"${deviceId}" is a ${device.class}; only scales tare`);
        await this.deps.sender().sendCommand(deviceId, { kind: 'tare' });
        return `${deviceId}: tare sent`;
      case 'read': {
        if (device.class !== 'scale') throw new ApiError(409, `"${deviceId}" is a ${device.class}; only scales are read`);
        const reading = await this.nextWeight(deviceId, 3000);
        if (reading) return `${deviceId}: ${reading.grams} g${reading.stable ? ' (stable)' : ' (moving)'}`;
        const health = this.deps.health(deviceId);
        throw new ApiError(504, `${deviceId} sent no weight within 3 s (state ${health?.state ?? 'unknown'}${health?.lastError ? `, last error: ${health.lastError.reason}` : ''}); check that it is on and connected`);
      }
      default:
        throw new ApiError(501, `"${action}" needs the device driver for ${device.class}s over ${device.transport.type}, which this gateway version does not have yet`);
    }
  }
}
