/**
 * An MQTT pick-to-light device (one device, several lights by address) that speaks the device
 * contract: it keeps the state each light shows from the `light` commands it receives, forgets
 * it on a power cycle, and presses buttons on request.
 *
 * @example
 *   const light = new MqttLightSimulator({ url, deviceId: 'light-a', secret: 'light-a-secret' });
 *   await light.connect();
 *   light.shown(3);               // { color: 'green', blink: false, text: '2' } after a command
 *   await light.press('confirm', 3);
 */
import { MqttDeviceSimulator, type MqttDeviceSimulatorOptions } from './mqttDevice.ts';

export interface MqttShownLight {
  color: string;
  blink: boolean;
  text?: string;
}

export class MqttLightSimulator extends MqttDeviceSimulator {
  private forgottenBefore = 0;

  constructor(options: MqttDeviceSimulatorOptions) {
    super(options);
  }

  /** What the light at `address` shows ('' for a device with one light). */
  shown(address: number | string = ''): MqttShownLight {
    const mine = this.commands
      .slice(this.forgottenBefore)
      .filter((c): c is { kind: 'light'; color: string; blink?: boolean; text?: string; address?: number | string } => (c as { kind?: string }).kind === 'light')
      .filter((c) => String(c.address ?? '') === String(address));
    const last = mine.at(-1);
    return last ? { color: last.color, blink: last.blink ?? false, ...(last.text !== undefined ? { text: last.text } : {}) } : { color: 'off', blink: false };
  }

  /** Power cycle: every light goes dark and forgets what it showed. */
  powerCycle(): void {
    this.forgottenBefore = this.commands.length;
  }

  press(button: 'confirm' | 'short' | 'plus' | 'minus', address?: number | string): Promise<string> {
    return this.publish({ kind: 'button', button, ...(address !== undefined ? { address } : {}) });
  }
}
