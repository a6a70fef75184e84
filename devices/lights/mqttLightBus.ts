/**
 * A `LightBus` for lights that speak the device MQTT contract: each state becomes a `light`
 * command on the device's commands topic (with its `address` when the device drives several
 * lights). The MQTT device driver tells the bus when the device comes back online after being
 * offline (`returned()`), and the `LightController` re-sends what each light should show.
 *
 * @example
 *   const bus = new MqttLightBus('light-a1', port);
 *   const controller = new LightController(bus);
 *   controller.start();
 *   await controller.set([{ address: 2, color: 'green', blink: false, text: '3' }]);
 *   bus.returned(); // the device's status went offline -> online: its lights are re-sent
 */
import { LightBusListeners } from './lightBusListeners.ts';
import type { MqttCommandPort } from '../transports/mqttDevice.ts';
import type { LightButtonPress, LightState } from './lightModel.ts';

export class MqttLightBus extends LightBusListeners {
  constructor(
    private readonly deviceId: string,
    private readonly port: MqttCommandPort,
  ) {
    super();
  }

  async setLights(states: LightState[]): Promise<void> {
    for (const s of states) {
      await this.port.sendCommand(this.deviceId, {
        kind: 'light',
        color: s.color,
        blink: s.blink,
        ...(s.text !== undefined ? { text: s.text } : {}),
        ...(s.beep ? { beep: true } : {}),
        ...(s.address !== '' ? { address: s.address } : {}),
      });
    }
  }

  /** The device pressed a button. */
  pressed(press: LightButtonPress): void {
    this.emitButton(press);
  }

  /** The device came back online after an outage. */
  returned(): void {
    this.emitReturn({});
  }
}
