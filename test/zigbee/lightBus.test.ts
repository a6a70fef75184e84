import { describe, expect, it } from 'vitest';
import { LightController, LightError, type LightButtonPress } from '../../devices/lights/lightModel.ts';
import { ZigbeeLightBus } from '../../devices/zigbee/zigbeeLightBus.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { batteryButton, colorBulb } from './standInRadio.ts';
import { useZigbee } from './zigbeeHarness.ts';

const bulbA = '0x00124b0000000b01';
const bulbB = '0x00124b0000000b02';
const button = '0x00124b0000000c01';

describe('Zigbee as a LightBus under the LightController', () => {
  const zigbee = useZigbee();

  async function setUp() {
    const started = await zigbee.start([]);
    const { radio, coordinator } = started;
    const devices = [radio.join(colorBulb(bulbA, 0x1a01)), radio.join(colorBulb(bulbB, 0x1a02)), radio.join(batteryButton(button, 0x1c01))];
    await waitFor('three interviews', () => coordinator.status().pairing.filter((p) => p.kind === 'interviewed').length === 3, 10_000);
    const bus = new ZigbeeLightBus({ network: coordinator, addresses: [bulbA, bulbB, button] });
    bus.start();
    const lights = new LightController(bus);
    lights.start();
    return { ...started, devices, bus, lights, stop: () => (lights.stop(), bus.stop()) };
  }

  it('sets several bins at once; a bulb that does not answer is named in the error and the other is lit', async () => {
    const { radio, devices, lights, stop } = await setUp();
    devices[1]!.silent = true;
    const error = await lights.set([
      { address: bulbA, color: 'blue', blink: false, text: '2' },
      { address: bulbB, color: 'blue', blink: false },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightError);
    expect((error as LightError).addresses).toEqual([bulbB]);
    expect((error as LightError).message).toContain(`Zigbee device ${bulbB} endpoint 11`);
    expect(radio.framesTo(bulbA).filter((f) => f.command === 'moveToColor')).toHaveLength(1);
    stop();
  });

  it('a remote beside the bins reports its press under its IEEE address', async () => {
    const { devices, lights, stop } = await setUp();
    const presses: LightButtonPress[] = [];
    lights.onButton((p) => presses.push(p));
    devices[2]!.command(1, 'genOnOff', 'on');
    await waitFor('a press', () => presses.length === 1);
    expect(presses).toEqual([{ address: button, button: 'confirm' }]);
    stop();
  });

  it('after the dongle was unplugged and is back, the controller re-sends what each bin should show', async () => {
    const { radio, coordinator, lights, stop } = await setUp();
    await lights.set([{ address: bulbA, color: 'green', blink: true }]);
    const sentBefore = radio.framesTo(bulbA).length;
    radio.unplug();
    await waitFor('coordinator offline', () => coordinator.status().state === 'offline');
    radio.plugIn();
    await waitFor('the green re-sent', () => radio.framesTo(bulbA).slice(sentBefore).some((f) => f.command === 'identify'), 5000);
    expect(radio.framesTo(bulbA).slice(sentBefore).map((f) => `${f.cluster}.${f.command}`)).toEqual(['lightingColorCtrl.moveToColor', 'genLevelCtrl.moveToLevelWithOnOff', 'genIdentify.identify']);
    expect(lights.stateOf(bulbA)).toMatchObject({ color: 'green', blink: true });
    stop();
  });
});
