/**
 * The Zigbee network as a `LightBus` (devices/lights/lightModel.ts): a light's address is its
 * bulb's IEEE address, so a `LightController` lights Zigbee bins exactly as it lights Modbus or
 * MQTT ones. Buttons on the bus (battery remotes beside the bins) report presses under their own
 * IEEE address; a light or button that comes back (after the coordinator or the device was
 * away) is reported as a return, so the controller re-sends what the bin should show.
 * Zigbee bulbs have no display or buzzer: `text` and `beep` are ignored.
 *
 * @example
 *   const bus = new ZigbeeLightBus({ network: coordinator, addresses: ['0x00124b0000000b01', '0x00124b0000000c01'] });
 *   bus.start();
 *   const lights = new LightController(bus);
 *   lights.start();
 *   await lights.set([{ address: '0x00124b0000000b01', color: 'green', blink: true }]);
 */
import { LightBusListeners } from '../lights/lightBusListeners.ts';
import { LightError, type LightAddress, type LightState } from '../lights/lightModel.ts';
import { capabilitiesOf, endpointFor, lightCommands, toDriverEvent } from './clusterMapping.ts';
import type { ZigbeeIncoming, ZigbeeNetwork } from './zigbeeNetwork.ts';

export interface ZigbeeLightBusOptions {
  network: ZigbeeNetwork;
  /** IEEE addresses of the lights and buttons on this bus (whose presses and returns it reports). */
  addresses: string[];
}

export class ZigbeeLightBus extends LightBusListeners {
  private readonly blinking = new Set<string>();
  /** Members seen online once: only a later online is a return. */
  private readonly wasOnline = new Map<string, boolean>();
  private readonly everOnline = new Set<string>();
  private detachers: Array<() => void> = [];

  constructor(private readonly options: ZigbeeLightBusOptions) {
    super();
  }

  start(): void {
    for (const address of this.options.addresses) {
      const ieee = address.toLowerCase();
      this.detachers.push(
        this.options.network.attach(ieee, {
          message: (m) => this.onMessage(ieee, m),
          presence: (online) => this.onPresence(ieee, online),
        }),
      );
    }
  }

  stop(): void {
    for (const detach of this.detachers.splice(0)) detach();
  }

  /** Sets every light in parallel; rejects with a LightError naming the lights that failed (the others were set). */
  async setLights(states: LightState[]): Promise<void> {
    const results = await Promise.allSettled(states.map((s) => this.setOne(s)));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ address: states[i]!.address, reason: (r.reason as Error).message }] : []));
    if (failed.length === 0) return;
    throw new LightError(failed.map((f) => f.reason).join('; '), failed.map((f) => f.address));
  }

  private async setOne(state: LightState): Promise<void> {
    const ieee = ieeeOf(state.address);
    const info = this.options.network.device(ieee);
    if (!info) throw new Error(`Zigbee light ${ieee} has not joined the network; pair it (darkstore-gateway zigbee permit-join 120)`);
    const endpoint = endpointFor('light', info.endpoints);
    if (!endpoint) throw new Error(`Zigbee device ${ieee} (${info.model ?? 'unknown model'}) is not a light: it has no genOnOff server endpoint; check the bin's light address`);
    await this.options.network.send(ieee, endpoint.id, lightCommands(state, capabilitiesOf(endpoint), this.blinking.has(ieee)));
    if (state.color !== 'off' && state.blink) this.blinking.add(ieee);
    else this.blinking.delete(ieee);
  }

  private onMessage(ieee: string, message: ZigbeeIncoming): void {
    const event = toDriverEvent('button', message);
    if (event?.kind !== 'button') return;
    this.emitButton({ address: ieee, button: event.button });
  }

  private onPresence(ieee: string, online: boolean): void {
    // Only a light that was online and then away may show a stale state; the first online restores nothing.
    const wasAway = this.everOnline.has(ieee) && this.wasOnline.get(ieee) === false;
    this.wasOnline.set(ieee, online);
    if (!online) return;
    this.everOnline.add(ieee);
    if (wasAway) this.emitReturn({ addresses: [ieee] });
  }
}

function ieeeOf(address: LightAddress): string {
  const text = String(address).toLowerCase();
  if (!/^0x[0-9a-f]{16}$/.test(text)) throw new Error(`"${address}" is not a Zigbee IEEE address like "0x00124b0012345678"; a Zigbee bin light's address is its bulb's IEEE address`);
  return text;
}
