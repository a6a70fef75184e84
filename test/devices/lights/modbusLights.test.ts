/**
 * Modbus pick-to-light over real transports: RTU on a socat pty and Modbus TCP on loopback,
 * against the simulated PICK-IQ modules.
 */
import { describe, expect, it } from 'vitest';
import type { ModbusLightDriver } from '../../../devices/lights/modbusLightDriver.ts';
import { ModbusLightsSimulator } from '../../../simulators/modbusLights.ts';
import { ptyLink, useRegistry } from '../deviceHarness.ts';
import { waitFor } from '../../helpers/testGateway.ts';

const harness = useRegistry();

async function rtuLine(units: number[]) {
  const sim = new ModbusLightsSimulator({ units });
  const link = ptyLink('lights');
  await sim.slave.attachPty(link);
  harness.cleanup(() => sim.slave.stop());
  const { registry, recorded } = await harness.start([
    { id: 'lights-a', class: 'light', protocol: 'modbus', transport: { type: 'serial', path: link, baudRate: 19200 }, light: { addresses: units, pollMs: 30, timeoutMs: 150 } },
  ]);
  await waitFor('the line to open', () => registry.health('lights-a')?.state === 'online');
  return { sim, registry, recorded, driver: registry.driver('lights-a') as ModbusLightDriver };
}

describe('Modbus RTU lights on a pty', () => {
  it('sets many lights in one call and clears them as lines complete', async () => {
    const { sim, driver } = await rtuLine([1, 2, 3, 4]);
    await driver.lights().set([
      { address: 1, color: 'green', blink: false, text: '3' },
      { address: 2, color: 'green', blink: true, text: '12', beep: true },
      { address: 4, color: 'red', blink: false, text: 'SHORT' },
    ]);
    expect(sim.shown(1)).toMatchObject({ color: 'green', blink: false, text: '3' });
    expect(sim.shown(2)).toMatchObject({ color: 'green', blink: true, text: '12', beeps: 1 });
    expect(sim.shown(3).color).toBe('off');
    expect(sim.shown(4)).toMatchObject({ color: 'red', text: 'SHORT' });

    await driver.lights().clear([1]);
    expect(sim.shown(1)).toMatchObject({ color: 'off', text: '' });
    expect(sim.shown(2).color).toBe('green');
    await driver.lights().clearAll();
    expect([1, 2, 3, 4].map((u) => sim.shown(u).color)).toEqual(['off', 'off', 'off', 'off']);
  });

  it('turns button presses into button events with the light address', async () => {
    const { sim, recorded } = await rtuLine([5, 6]);
    sim.press(6, 'confirm');
    sim.press(5, 'short');
    await waitFor('two button events', () => recorded.events.filter((e) => e.event.kind === 'button').length >= 2);
    const presses = recorded.events.map((e) => e.event).filter((e) => e.kind === 'button');
    expect(presses).toEqual(expect.arrayContaining([{ kind: 'button', button: 'confirm', address: 6 }, { kind: 'button', button: 'short', address: 5 }]));
    await new Promise((r) => setTimeout(r, 150));
    expect(recorded.events.filter((e) => e.event.kind === 'button')).toHaveLength(2); // each press once
  });

  it('restores what each light shows after the line is unplugged and plugged back', async () => {
    const { sim, registry, driver } = await rtuLine([1, 2]);
    await driver.lights().set([
      { address: 1, color: 'blue', blink: true, text: '7' },
      { address: 2, color: 'yellow', blink: false, text: '1' },
    ]);
    await sim.slave.unplug();
    await waitFor('the line to be reported offline', () => registry.health('lights-a')?.state === 'offline');
    sim.powerCycle(1);
    sim.powerCycle(2);
    await sim.slave.replug();
    await waitFor('lights restored', () => sim.shown(1).color === 'blue' && sim.shown(2).color === 'yellow');
    expect(sim.shown(1)).toMatchObject({ color: 'blue', blink: true, text: '7', beeps: 0 });
    expect(registry.health('lights-a')?.counters.reconnects).toBe(1);
  });

  it('restores one module that stopped answering and came back; device health says error meanwhile, then online again', async () => {
    const { sim, driver, registry } = await rtuLine([1, 2]);
    await waitFor('the line online', () => registry.health('lights-a')?.state === 'online');
    await driver.lights().set([{ address: 2, color: 'magenta', blink: false, text: '4' }]);
    sim.slave.setSilent(2, true);
    await waitFor('the silent module in device health', () => registry.health('lights-a')?.state === 'error');
    expect(registry.health('lights-a')?.lastError?.reason).toMatch(/unit 2: no answer to "read 1 holding register\(s\) at 16" within 150 ms/);
    sim.powerCycle(2);
    sim.slave.setSilent(2, false);
    await waitFor('module 2 restored', () => sim.shown(2).color === 'magenta');
    expect(sim.shown(2).text).toBe('4');
    // No button was pressed: the answers alone bring the line back to online.
    await waitFor('the line online again', () => registry.health('lights-a')?.state === 'online');
  });

  it('refuses an address that does not exist, names it, and still sets the others', async () => {
    const { sim, registry } = await rtuLine([1]);
    await expect(registry.send('lights-a', { kind: 'light', address: 99, color: 'green' })).rejects.toThrow(/no light at address 99 \(configured unit ids: 1\)/);
    await registry.send('lights-a', { kind: 'light', address: 1, color: 'green' });
    expect(sim.shown(1).color).toBe('green');
    expect(registry.health('lights-a')?.counters.commandErrors).toBe(1);
  });
});

describe('Modbus TCP lights', () => {
  it('sets lights, reports a silent module as a timeout, and restores after the gateway reconnects', async () => {
    const sim = new ModbusLightsSimulator({ units: [1, 2, 3] });
    await sim.slave.listenTcp();
    harness.cleanup(() => sim.slave.stop());
    const { registry } = await harness.start([
      { id: 'lights-t', class: 'light', transport: { type: 'tcp', host: '127.0.0.1', port: sim.slave.port }, light: { addresses: [1, 2, 3], pollMs: 30, timeoutMs: 150 } },
    ]);
    await waitFor('the TCP link to open', () => registry.health('lights-t')?.state === 'online');
    await registry.send('lights-t', { kind: 'light', address: 3, color: 'cyan', text: '2' });
    expect(sim.shown(3)).toMatchObject({ color: 'cyan', text: '2' });

    sim.slave.setSilent(1, true);
    await expect(registry.send('lights-t', { kind: 'light', address: 1, color: 'green' })).rejects.toThrow(/unit 1: no answer .* within 150 ms; check the unit id/);

    sim.slave.dropConnections();
    sim.powerCycle(3);
    await waitFor('light 3 restored after reconnect', () => sim.shown(3).color === 'cyan');
    sim.slave.setSilent(1, false);
    await waitFor('light 1 shows what the gateway believes once it answers', () => sim.shown(1).color === 'green');
  });
});

describe('Modbus light errors', () => {
  it('reports a Modbus exception reply with what to check, and the light state stays what the gateway believes', async () => {
    const sim = new ModbusLightsSimulator({ units: [1] });
    await sim.slave.listenTcp();
    harness.cleanup(() => sim.slave.stop());
    // A register map that reaches past the module's 32 registers: the module answers exception 2.
    const { registry } = await harness.start([
      { id: 'lights-x', class: 'light', transport: { type: 'tcp', host: '127.0.0.1', port: sim.slave.port }, light: { addresses: [1], pollMs: 50, registers: { text: 30 } } },
    ]);
    await waitFor('the link to open', () => registry.health('lights-x')?.state === 'online');
    await expect(registry.send('lights-x', { kind: 'light', address: 1, color: 'green', text: '3' })).rejects.toThrow(
      /unit 1: write \d+ register\(s\) at 0 refused with Modbus exception 2: .*; check the register map against the device's manual/,
    );
    expect(registry.health('lights-x')?.counters.commandErrors).toBe(1);
    expect((registry.driver('lights-x') as ModbusLightDriver).lights().stateOf(1)).toMatchObject({ color: 'green', text: '3' });
  });
});
