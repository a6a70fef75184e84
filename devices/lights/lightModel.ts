/**
 * The pick-to-light model, independent of transport. A bin's light is a device (a bus: one MQTT
 * light, a Modbus RS-485 line, a Modbus TCP gateway, a Zigbee network) plus an address on it.
 * A `LightBus` carries light states and button presses; a `LightController` sits on top of one
 * bus, sets many lights in one call and re-sends what it believes each light shows whenever the
 * bus or a single light comes back, so what a picker sees is what the gateway believes.
 *
 * Implement `LightBus` for a new transport (see modbusLightBus.ts, mqttLightBus.ts); keep this
 * interface stable: other transports (Zigbee) implement it too.
 *
 * @example
 *   const controller = new LightController(bus);
 *   await controller.set([
 *     { address: 12, color: 'green', blink: false, text: '3' },
 *     { address: 14, color: 'green', blink: true, text: '1', beep: true },
 *   ]);
 *   controller.onButton((press) => console.log(press)); // { address: 12, button: 'confirm' }
 *   await controller.clear([12]); // line done: bin 12 goes dark, 14 stays lit
 */

/** Colours every light transport understands; 'off' means dark (text and beep ignored). */
export const lightColors = ['off', 'red', 'green', 'blue', 'yellow', 'white', 'cyan', 'magenta'] as const;
export type LightColor = (typeof lightColors)[number];

/** Where a light sits on its bus: a Modbus unit id (1-247), an MQTT sub-address, a Zigbee IEEE. */
export type LightAddress = number | string;

/** What one light should show. */
export interface LightState {
  address: LightAddress;
  color: LightColor;
  blink: boolean;
  /** A short text or quantity, e.g. "3" (at most 8 characters; a light may show fewer). */
  text?: string;
  /** Beep once when this state is applied (not re-sent as a beep on restore). */
  beep?: boolean;
}

export const lightButtons = ['confirm', 'short', 'plus', 'minus'] as const;
export type LightButton = (typeof lightButtons)[number];

/** A button pressed on a light. */
export interface LightButtonPress {
  address: LightAddress;
  button: LightButton;
}

/**
 * What came back after an outage: the whole bus (`addresses` undefined: re-send every light)
 * or some lights on it (re-send only those).
 */
export interface LightReturn {
  addresses?: LightAddress[];
}

/**
 * One bus of lights. `setLights` resolves once the bus accepted every state and rejects with a
 * `LightError` naming the addresses that failed (the others were applied). Listeners return an
 * unsubscribe function.
 */
export interface LightBus {
  setLights(states: LightState[]): Promise<void>;
  onButton(listener: (press: LightButtonPress) => void): () => void;
  /** Called when the bus or some lights come back after an outage (not on first connect). */
  onReturn(listener: (back: LightReturn) => void): () => void;
}

/** A light command failed; `addresses` are the lights it concerns, `reason` what to do. */
export class LightError extends Error {
  override readonly name = 'LightError';
  constructor(
    message: string,
    readonly addresses: LightAddress[],
  ) {
    super(message);
  }
}

/** The key a light is tracked under: 12 and "12" are the same light. */
export function lightKey(address: LightAddress): string {
  return String(address);
}

export const darkState = (address: LightAddress): LightState => ({ address, color: 'off', blink: false });

/**
 * Sets many lights in one call on one bus and remembers what each light shows (the state the
 * gateway believes). On a return after an outage it re-sends the remembered states, without
 * beeping again. Lights that were never set are not touched.
 */
export class LightController {
  private readonly believed = new Map<string, LightState>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly restoreListeners = new Set<(states: LightState[], error?: Error) => void>();

  constructor(private readonly bus: LightBus) {}

  /** Starts following the bus's returns; call once. */
  start(): void {
    this.unsubscribe.push(this.bus.onReturn((back) => void this.restore(back)));
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /**
   * Sets these lights (others keep what they show). The believed state is recorded before the
   * bus is asked, so a light that is unreachable now shows it as soon as it comes back.
   */
  async set(states: LightState[]): Promise<void> {
    for (const state of states) this.believed.set(lightKey(state.address), { ...state, beep: false });
    await this.bus.setLights(states);
  }

  /** Turns these lights off, e.g. as their pick lines complete. */
  async clear(addresses: LightAddress[]): Promise<void> {
    await this.set(addresses.map(darkState));
  }

  /** Turns off every light this controller has lit. */
  async clearAll(): Promise<void> {
    const lit = [...this.believed.values()].filter((s) => s.color !== 'off').map((s) => s.address);
    if (lit.length > 0) await this.clear(lit);
  }

  /** What the gateway believes a light shows ('off' when never set). */
  stateOf(address: LightAddress): LightState {
    return this.believed.get(lightKey(address)) ?? darkState(address);
  }

  /** Every light set through this controller and what it shows now. */
  states(): LightState[] {
    return [...this.believed.values()];
  }

  onButton(listener: (press: LightButtonPress) => void): () => void {
    return this.bus.onButton(listener);
  }

  /** Called after each restore with the states re-sent (and the error, if the bus refused). */
  onRestore(listener: (states: LightState[], error?: Error) => void): () => void {
    this.restoreListeners.add(listener);
    return () => this.restoreListeners.delete(listener);
  }

  /** Re-sends the believed state of the lights that came back (all of them when `addresses` is unset). */
  async restore(back: LightReturn = {}): Promise<void> {
    const wanted = back.addresses?.map(lightKey);
    const states = [...this.believed.entries()].filter(([key]) => !wanted || wanted.includes(key)).map(([, s]) => s);
    if (states.length === 0) return;
    try {
      await this.bus.setLights(states);
      for (const listener of this.restoreListeners) listener(states);
    } catch (err) {
      for (const listener of this.restoreListeners) listener(states, err as Error);
    }
  }
}
