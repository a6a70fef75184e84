/**
 * The listener half every LightBus has: who hears a button press and who hears that lights came
 * back. Buses extend this and implement only `setLights` and their own transport.
 *
 * @example
 *   class MyBus extends LightBusListeners {
 *     async setLights(states: LightState[]) { ... }
 *     private onFrame(address: number) { this.emitButton({ address, button: 'confirm' }); }
 *   }
 */
import type { LightBus, LightButtonPress, LightReturn, LightState } from './lightModel.ts';

export abstract class LightBusListeners implements LightBus {
  private readonly buttonListeners = new Set<(press: LightButtonPress) => void>();
  private readonly returnListeners = new Set<(back: LightReturn) => void>();

  abstract setLights(states: LightState[]): Promise<void>;

  onButton(listener: (press: LightButtonPress) => void): () => void {
    this.buttonListeners.add(listener);
    return () => this.buttonListeners.delete(listener);
  }

  onReturn(listener: (back: LightReturn) => void): () => void {
    this.returnListeners.add(listener);
    return () => this.returnListeners.delete(listener);
  }

  protected emitButton(press: LightButtonPress): void {
    for (const listener of this.buttonListeners) listener(press);
  }

  protected emitReturn(back: LightReturn): void {
    for (const listener of this.returnListeners) listener(back);
  }
}
