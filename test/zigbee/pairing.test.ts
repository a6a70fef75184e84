import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ZigbeeDeviceDriver } from '../../devices/zigbee/zigbeeDeviceDriver.ts';
import { waitFor } from '../helpers/testGateway.ts';
import { colorBulb, contactSensor } from './standInRadio.ts';
import { useZigbee } from './zigbeeHarness.ts';

const bulbIeee = '0x00124b0000000b01';
const sensorIeee = '0x00124b0000000e01';

describe('Zigbee pairing', () => {
  const zigbee = useZigbee();

  it('keeps a generated network key in the data folder, readable by the gateway user only, and out of the logs', async () => {
    const { dataDir, recorded } = await zigbee.start([]);
    const file = join(dataDir, 'zigbee', 'network.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The folder too: herdsman's coordinator backup beside it also holds the key.
    expect(statSync(join(dataDir, 'zigbee')).mode & 0o777).toBe(0o700);
    const { networkKey } = JSON.parse(readFileSync(file, 'utf8')) as { networkKey: string };
    expect(networkKey).toMatch(/^[0-9a-f]{32}$/);
    const logged = JSON.stringify(recorded.logs);
    expect(logged).not.toContain(networkKey);
  });

  it('opens the network for N seconds, interviews a joining bulb, reports what it is, and the configured id comes online', async () => {
    const { radio, coordinator, registry, recorded } = await zigbee.start([{ id: 'light-a1', class: 'light', transport: { type: 'zigbee', ieee: bulbIeee } }]);
    expect(registry.health('light-a1')).toMatchObject({ state: 'offline', lastError: { reason: expect.stringContaining('not paired') } });

    await coordinator.permitJoin(120);
    expect(radio.permitJoins).toEqual([120]);
    expect(coordinator.status().permitJoinUntil).toBeDefined();

    radio.join(colorBulb(bulbIeee, 0x1a01));
    const interviewed = await waitFor('the interview result', () => coordinator.status().pairing.find((p) => p.kind === 'interviewed'));
    expect(interviewed.summary).toBe(`${bulbIeee} StandIn BinLight-RGB (Router, mains), interview successful: can be a light; bound to device "light-a1"`);
    await waitFor('light-a1 online', () => recorded.status.find((s) => s.deviceId === 'light-a1' && s.online));
    expect((registry.driver('light-a1') as ZigbeeDeviceDriver).health().zigbee).toMatchObject({ ieee: bulbIeee, model: 'BinLight-RGB', interview: 'successful' });
  });

  it('enrols an IAS sensor during its interview (writes our IEEE as its CIE address)', async () => {
    const { radio, coordinator } = await zigbee.start([{ id: 'door-1', class: 'sensor', transport: { type: 'zigbee', ieee: sensorIeee } }]);
    const sensor = radio.join(contactSensor(sensorIeee, 0x1e01));
    await waitFor('the interview result', () => coordinator.status().pairing.find((p) => p.kind === 'interviewed'), 10_000);
    expect(sensor.spec.attributes.ssIasZone).toMatchObject({ zoneState: 1, iasCieAddr: '0x00124b00000c0001' });
  });

  it('a device that is not in the config is reported with the line to add', async () => {
    const { radio, coordinator } = await zigbee.start([]);
    radio.join(colorBulb(bulbIeee, 0x1a01));
    const interviewed = await waitFor('the interview result', () => coordinator.status().pairing.find((p) => p.kind === 'interviewed'));
    expect(interviewed.summary).toContain(`not in the config yet: add a device with transport {type: zigbee, ieee: "${bulbIeee}"}`);
  });

  it('a device that does not answer its interview is reported as failed, and its bound id says to pair it again', async () => {
    const { radio, coordinator, registry } = await zigbee.start([{ id: 'light-a1', class: 'light', transport: { type: 'zigbee', ieee: bulbIeee } }]);
    const bulb = radio.join(colorBulb(bulbIeee, 0x1a01));
    bulb.silent = true; // before herdsman's interview starts (it begins after the join is accepted)
    const failed = await waitFor('the interview failure', () => coordinator.status().pairing.find((p) => p.kind === 'interview-failed'), 10_000);
    expect(failed.summary).toContain('interview failed');
    await waitFor('the reason on health', () => registry.health('light-a1')?.lastError?.reason.includes('interview failed: pair it again, close to the coordinator'));
    expect(registry.health('light-a1')?.state).toBe('offline');
  });

  it('refuses a permit join longer than Zigbee allows, saying the limit', async () => {
    const { coordinator } = await zigbee.start([]);
    await expect(coordinator.permitJoin(600)).rejects.toThrow('permit join takes 0 to 254 seconds');
  });
});
