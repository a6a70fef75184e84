/**
 * A `LightBus` over Modbus: each light is a module with its own unit id (1-247) on an RS-485
 * line (Modbus RTU) or behind a Modbus TCP gateway. Setting lights writes each module's
 * register block; buttons are polled from each module's latch register. A module that stops
 * answering is marked missing; when it answers again (or the whole line comes back) the bus
 * reports a return, and the `LightController` re-sends what that light should show.
 *
 * @example
 *   const bus = new ModbusLightBus({ link, map: pickIqProfile, addresses: [1, 2, 3], pollMs: 100, what: 'lights "aisle-3"' });
 *   bus.start();
 *   await bus.setLights([{ address: 1, color: 'green', blink: false, text: '2' }]);
 */
import { LightBusListeners } from './lightBusListeners.ts';
import { LightError, lightKey, type LightAddress, type LightState } from './lightModel.ts';
import { decodeButtons, encodeLight, type LightRegisterMap } from './modbusLightProfile.ts';
import type { ModbusLink } from '../transports/modbusLink.ts';

export interface ModbusLightBusOptions {
  link: ModbusLink;
  map: LightRegisterMap;
  /** The unit ids of the modules on this line. */
  addresses: number[];
  pollMs: number;
  /** For messages, e.g. 'lights "aisle-3"'. */
  what: string;
  /** Each failed module request, for health counters. */
  onError?: (error: Error) => void;
  /** Each module that answers after being missing, and each that stops answering. */
  onModule?: (unit: number, present: boolean) => void;
}

export class ModbusLightBus extends LightBusListeners {
  private readonly missing = new Set<number>();
  private timer?: NodeJS.Timeout;
  private polling = false;

  constructor(private readonly options: ModbusLightBusOptions) {
    super();
    options.link.onOpen((again) => {
      if (again) this.emitReturn({});
    });
  }

  start(): void {
    this.polling = true;
    this.schedulePoll();
  }

  stop(): void {
    this.polling = false;
    clearTimeout(this.timer);
  }

  async setLights(states: LightState[]): Promise<void> {
    const failures: Array<{ address: LightAddress; reason: string }> = [];
    for (const state of states) {
      const unit = this.unitOf(state.address);
      if (unit === undefined) {
        failures.push({ address: state.address, reason: `no light at address ${String(state.address)} (configured unit ids: ${this.options.addresses.join(', ') || 'none'}); add it to light.addresses` });
        continue;
      }
      const { start, values } = encodeLight(this.options.map, state);
      try {
        await this.options.link.writeRegisters(unit, start, values);
      } catch (err) {
        this.noteFailure(unit, err as Error);
        failures.push({ address: state.address, reason: (err as Error).message });
      }
    }
    if (failures.length > 0) {
      const error = new LightError(`${this.options.what}: ${failures.length} of ${states.length} light(s) not set: ${failures.map((f) => f.reason).join('; ')}`, failures.map((f) => f.address));
      this.options.onError?.(error);
      throw error;
    }
  }

  private unitOf(address: LightAddress): number | undefined {
    const unit = Number(address);
    return this.options.addresses.includes(unit) ? unit : undefined;
  }

  private schedulePoll(): void {
    if (!this.polling) return;
    this.timer = setTimeout(() => void this.pollOnce().finally(() => this.schedulePoll()), this.options.pollMs);
  }

  /** Reads every module's button latch; a module that answers again after missing is a return. */
  private async pollOnce(): Promise<void> {
    if (!this.options.link.isOpen) return;
    for (const unit of this.options.addresses) {
      if (!this.polling || !this.options.link.isOpen) return;
      let value: number;
      try {
        [value = 0] = await this.options.link.readHoldingRegisters(unit, this.options.map.buttons, 1);
      } catch (err) {
        this.noteFailure(unit, err as Error);
        continue;
      }
      if (this.missing.delete(unit)) {
        this.options.onModule?.(unit, true);
        this.emitReturn({ addresses: [unit] });
      }
      for (const button of decodeButtons(value)) this.emitButton({ address: unit, button });
    }
  }

  private noteFailure(unit: number, err: Error & { kind?: string }): void {
    if (err.kind === 'offline') return; // the whole line is down; its return restores everything
    if (err.kind === 'timeout' && !this.missing.has(unit)) {
      this.missing.add(unit);
      this.options.onModule?.(unit, false);
    }
    this.options.onError?.(err);
  }

  /** Units that stopped answering, as light keys. */
  missingAddresses(): string[] {
    return [...this.missing].map(lightKey);
  }
}
