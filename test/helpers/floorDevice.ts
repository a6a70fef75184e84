import type { MqttClient } from 'mqtt';
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import { waitFor } from './testGateway.ts';

/**
 * A floor device over real MQTT, as a test drives it: publishes events on its own topic and
 * records every command the gateway sends it, in order.
 */
export class FloorDevice {
  readonly commands: DeviceCommandPayload[] = [];
  private seen = 0;
  constructor(
    readonly id: string,
    private readonly client: MqttClient,
  ) {
    client.on('message', (topic, payload) => {
      if (topic === `dsgw/v1/devices/${id}/commands`) this.commands.push(JSON.parse(payload.toString()) as DeviceCommandPayload);
    });
  }

  static async attach(client: MqttClient, id: string): Promise<FloorDevice> {
    const device = new FloorDevice(id, client);
    await client.subscribeAsync(`dsgw/v1/devices/${id}/commands`, { qos: 1 });
    return device;
  }

  async send(event: Record<string, unknown>): Promise<void> {
    await this.client.publishAsync(`dsgw/v1/devices/${this.id}/events`, JSON.stringify(event), { qos: 1 });
  }

  /** Publishes a scan and resolves with the feedback it gets. */
  async scan(data: string): Promise<Extract<DeviceCommandPayload, { kind: 'feedback' }>> {
    this.seen = this.commands.length;
    await this.send({ kind: 'scan', data });
    return this.nextFeedback();
  }

  /** The first feedback command after the last mark. */
  async nextFeedback(): Promise<Extract<DeviceCommandPayload, { kind: 'feedback' }>> {
    const from = this.seen;
    const found = await waitFor(`feedback on ${this.id}`, () => this.commands.slice(from).find((c) => c.kind === 'feedback'));
    this.seen = this.commands.indexOf(found) + 1;
    return found as Extract<DeviceCommandPayload, { kind: 'feedback' }>;
  }

  mark(): void {
    this.seen = this.commands.length;
  }

  /** Waits for a command after the mark that matches. */
  async expectCommand(what: string, match: (c: DeviceCommandPayload) => boolean): Promise<DeviceCommandPayload> {
    const from = this.seen;
    return waitFor(what, () => this.commands.slice(from).find(match));
  }
}
