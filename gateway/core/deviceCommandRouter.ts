/**
 * One way to send a command to any device: MQTT devices get the contract's command on their
 * commands topic; devices behind a driver (serial, HID, TCP, Modbus) get the driver's typed
 * command (feedback, zero, tare, light, print); a driver refuses what its device cannot do.
 * Workflows and the console send through this and never care how a device is attached.
 *
 * @example
 *   await router.sendCommand('scanner-pick-b', { kind: 'feedback', result: 'error', message: 'Wrong item' });
 */
import type { GatewayConfig } from '../../config/schema.ts';
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import type { DeviceCommand } from '../../devices/driver.ts';

export interface DriverCommands {
  send(deviceId: string, command: DeviceCommand): Promise<void>;
}
export interface ContractCommands {
  sendCommand(deviceId: string, command: DeviceCommandPayload): Promise<void>;
}

export class DeviceCommandRouter {
  constructor(private readonly deps: { config: () => GatewayConfig; drivers: () => DriverCommands; mqtt: () => ContractCommands }) {}

  async sendCommand(deviceId: string, command: DeviceCommandPayload): Promise<void> {
    const device = this.deps.config().devices.find((d) => d.id === deviceId);
    if (!device) throw new Error(`no device "${deviceId}" in the config; cannot send it a ${command.kind} command`);
    if (device.transport.type === 'mqtt') return this.deps.mqtt().sendCommand(deviceId, command);
    switch (command.kind) {
      case 'feedback':
        return this.deps.drivers().send(deviceId, { kind: 'feedback', result: command.result === 'ok' ? 'good' : 'bad', message: command.message });
      case 'zero':
      case 'tare':
      case 'light':
      case 'print':
        return this.deps.drivers().send(deviceId, command);
    }
  }
}
