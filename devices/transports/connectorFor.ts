/**
 * Picks the connector for a device's transport config: serial, TCP or HID. MQTT devices have
 * no connector (the gateway's MQTT connection carries them) and Zigbee is not a byte stream.
 *
 * @example
 *   const connector = connectorFor(device, context.hid); // serialConnector for { type: 'serial', ... }
 */
import type { DeviceConfig } from '../../config/schema.ts';
import type { Connector } from './connection.ts';
import type { HidBoundary } from './hidBoundary.ts';
import { hidConnector } from './hidConnector.ts';
import { serialConnector } from './serialConnector.ts';
import { tcpConnector } from './tcpConnector.ts';
import { configBytes } from '../frames.ts';

export function connectorFor(device: DeviceConfig, hid: () => Promise<HidBoundary>, hidPollMs?: number): Connector {
  const t = device.transport;
  switch (t.type) {
    case 'serial':
      return serialConnector(t);
    case 'tcp':
      return tcpConnector(t);
    case 'hid':
      return hidConnector(t, hid, hidPollMs);
    default:
      throw new Error(`device "${device.id}": transport "${t.type}" is not a byte stream`);
  }
}

/** The line delimiter of a serial or TCP transport, as bytes. */
export function delimiterOf(device: DeviceConfig): Buffer {
  const t = device.transport;
  return configBytes(t.type === 'serial' || t.type === 'tcp' ? t.delimiter : '\r\n');
}

/** "9600 8N1" for messages about serial devices; empty for others. */
export function serialSettingsText(device: DeviceConfig): string {
  const t = device.transport;
  if (t.type !== 'serial') return '';
  return `${t.baudRate} ${t.dataBits}${t.parity[0]!.toUpperCase()}${t.stopBits}`;
}
