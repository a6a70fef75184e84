import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/testGateway.ts';
import { batteryButton, colorBulb } from './standInRadio.ts';
import { useZigbee } from './zigbeeHarness.ts';

const bulbIeee = '0x00124b0000000b01';
const buttonIeee = '0x00124b0000000c01';
const devices = [
  { id: 'light-a1', class: 'light', transport: { type: 'zigbee', ieee: bulbIeee } },
  { id: 'button-a', class: 'button', transport: { type: 'zigbee', ieee: buttonIeee } },
];
// Timeouts far below what the config allows, so the test takes well under a second per step.
const availability = { mainsTimeoutSeconds: 0.3, batteryTimeoutSeconds: 0.6, checkIntervalSeconds: 0.1 };

describe('Zigbee availability by last seen', () => {
  const zigbee = useZigbee();

  it('a quiet mains bulb is pinged: while it answers it stays online, when it does not it goes offline, and an answer brings it back', async () => {
    const { radio, coordinator, registry, recorded } = await zigbee.start(devices, { availability });
    const bulb = radio.join(colorBulb(bulbIeee, 0x1a01));
    await waitFor('bulb online', () => registry.health('light-a1')?.state === 'online', 5000);
    const afterInterview = radio.framesTo(bulbIeee).length;
    await waitFor('a ping', () => radio.framesTo(bulbIeee).slice(afterInterview).some((f) => f.cluster === 'genBasic' && f.command === 'read' && JSON.stringify(f.payload).includes('"attrId":0')), 3000);
    expect(registry.health('light-a1')?.state).toBe('online');

    bulb.silent = true;
    const offline = await waitFor('bulb offline', () => recorded.status.find((s) => s.deviceId === 'light-a1' && !s.online), 3000);
    expect(offline.reason).toMatch(/not heard from for \d+ s and no answer to a ping/);

    bulb.silent = false;
    await waitFor('bulb back', () => registry.health('light-a1')?.state === 'online', 3000);
    expect(coordinator.status().state).toBe('online');
  });

  it('a battery button is never pinged; silent past its timeout it goes offline, and its next frame brings it back', async () => {
    const { radio, registry, recorded } = await zigbee.start(devices, { availability });
    const button = radio.join(batteryButton(buttonIeee, 0x1c01));
    await waitFor('button online', () => registry.health('button-a')?.state === 'online', 5000);
    const interviewFrames = radio.framesTo(buttonIeee).length;

    const offline = await waitFor('button offline', () => recorded.status.find((s) => s.deviceId === 'button-a' && !s.online), 3000);
    expect(offline.reason).toMatch(/not heard from for \d+ s \(battery empty or out of range\?\)/);
    expect(radio.framesTo(buttonIeee)).toHaveLength(interviewFrames);

    button.report(1, 'genPowerCfg', { batteryPercentageRemaining: 60 });
    await waitFor('button back', () => registry.health('button-a')?.state === 'online', 3000);
  });
});
