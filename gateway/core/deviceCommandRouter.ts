/**
 * One way to send a command to any device: MQTT devices get the contract's command on their
 * commands topic; devices behind a driver (serial, HID, TCP, Modbus) get the driver's typed
 * command (feedback, zero, tare, light, print); a driver refuses what its device cannot do.
 * Workflows and the console send through this and never care how a device is attached.
 *
 * @example
 *   await router.sendCommand('scanner-pick-b', { kind: 'feedback', result: 'error', message: 'Wrong item' });
 */
import { createHash } from 'node:crypto';
import type { GatewayConfig } from '../../config/schema.ts';
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import type { DeviceCommand } from '../../devices/driver.ts';

export interface DriverCommands {
  send(deviceId: string, command: DeviceCommand): Promise<void>;
  /** Whether a driver runs for this device. */
  has?(deviceId: string): boolean;
}
export interface ContractCommands {
  sendCommand(deviceId: string, command: DeviceCommandPayload): Promise<void>;
}

export class DeviceCommandRouter {
  constructor(private readonly deps: { config: () => GatewayConfig; drivers: () => DriverCommands; mqtt: () => ContractCommands }) {}

  async sendCommand(deviceId: string, command: DeviceCommandPayload): Promise<void> {
    const device = this.deps.config().devices.find((d) => d.id === deviceId);
    if (!device) throw new Error(`no device "${deviceId}" in the config; cannot send it a ${command.kind} command`);
    // MQTT lights go through their driver, which remembers what each light shows and re-sends it
    // when the light comes back; other MQTT commands go straight out.
    if (device.transport.type === 'mqtt' && !(command.kind === 'light' && device.class === 'light' && this.deps.drivers().has?.(deviceId))) return this.deps.mqtt().sendCommand(deviceId, command);
    switch (command.kind) {
      case 'feedback':
        return this.deps.drivers().send(deviceId, { kind: 'feedback', result: command.result === 'ok' ? 'good' : 'bad', message: command.message });
      case 'zero':
      case 'tare':
        return this.deps.drivers().send(deviceId, command);
      case 'print':
        // The contract has no job id; the document's hash stands in, so an effect carried out
        // twice (a redelivery, a retried step) is one job. The bag label carries its SSCC, so
        // two different bags never share a hash; printing the same label again is a reprint.
        return this.deps.drivers().send(deviceId, { ...command, jobId: `doc-${createHash('sha256').update(command.document).digest('hex').slice(0, 32)}` });
      case 'light': {
        const { kind, color, blink, text, beep, address } = command;
        return this.deps.drivers().send(deviceId, { kind, color, blink, text, beep, address });
      }
    }
  }
}
