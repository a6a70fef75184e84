import { describe, expect, it } from 'vitest';
import type { WeightEvent } from '../../../devices/driver.ts';
import { casFrame, toledoFrame } from '../../../simulators/scaleFrames.ts';
import { SerialScaleSimulator } from '../../../simulators/serialDevice.ts';
import type { SimulatedScaleProtocol } from '../../../simulators/scaleBehaviour.ts';
import { waitFor } from '../../helpers/testGateway.ts';
import { ptyLink, useRegistry } from '../deviceHarness.ts';

describe('serial scales over a real pty', () => {
  const harness = useRegistry();

  async function setup(protocol: SimulatedScaleProtocol, scale: Record<string, unknown> = {}, sim: { silent?: boolean } = {}) {
    const device = new SerialScaleSimulator({ link: ptyLink(`scale-${protocol}`), protocol, ...sim });
    harness.cleanup(() => device.stop());
    await device.start();
    const { registry, recorded } = await harness.start([
      { id: 'scale-1', class: 'scale', protocol, transport: { type: 'serial', path: device.gatewayPath }, scale: { pollMs: 100, stableMs: 300, ...scale } },
    ]);
    await waitFor('scale online', () => registry.health('scale-1')?.state === 'online');
    const weights = () => recorded.events.map((e) => e.event as WeightEvent);
    return { device, registry, recorded, weights };
  }

  it('MT-SICS: polls SI and reports stable and dynamic weights', async () => {
    const { device, weights } = await setup('mt-sics');
    device.setWeight(412.5, false);
    await waitFor('dynamic weight', () => weights().find((w) => w.grams === 412.5 && !w.stable));
    device.setWeight(412.5, true);
    await waitFor('stable weight', () => weights().find((w) => w.grams === 412.5 && w.stable));
    expect(device.scale!.received.filter((c) => c === 'SI').length).toBeGreaterThan(1);
  });

  it('MT-SICS: zero and tare wait for the scale, and a refusal comes back with its reason', async () => {
    const { device, registry } = await setup('mt-sics');
    device.setWeight(100);
    await registry.send('scale-1', { kind: 'tare' });
    expect(device.scale!.received).toContain('T');
    await registry.send('scale-1', { kind: 'zero' });
    expect(device.scale!.received).toContain('Z');
    device.scale!.nextReply = 'Z I';
    await expect(registry.send('scale-1', { kind: 'zero' })).rejects.toThrow(/scale "scale-1" on .* refused zero: the scale is busy/);
    device.scale!.nextReply = 'EL';
    await expect(registry.send('scale-1', { kind: 'tare' })).rejects.toThrow(/refused tare: .*EL logical error/);
    expect(registry.health('scale-1')!.counters.commandErrors).toBe(2);
    await expect(registry.send('scale-1', { kind: 'feedback', result: 'good' })).rejects.toThrow(/takes zero and tare, not feedback/);
  });

  it('MT-SICS: over and under range are reported on health, not as weights', async () => {
    const { device, registry, weights } = await setup('mt-sics');
    device.scale!.nextReply = 'S +';
    await waitFor('over range', () => registry.health('scale-1')?.lastError?.reason.includes('over range'));
    device.scale!.nextReply = 'S -';
    await waitFor('under range', () => registry.health('scale-1')?.lastError?.reason.includes('under range'));
    expect(weights().every((w) => typeof w.grams === 'number')).toBe(true);
    expect(registry.health('scale-1')!.counters.badInput).toBe(0);
  });

  it('MT-SICS: a scale that does not answer is reported once, naming the command and the baud rate', async () => {
    const { registry, recorded } = await setup('mt-sics', {}, { silent: true });
    await waitFor('no-reply error', () => registry.health('scale-1')?.lastError);
    expect(registry.health('scale-1')!.lastError!.reason).toMatch(/^no reply to "SI" within 500 ms; check the cable and the baud rate \(configured 9600 8N1\)$/);
    await new Promise((r) => setTimeout(r, 500));
    expect(recorded.logs.filter((l) => l.msg.includes('no reply'))).toHaveLength(1);
  });

  it('MT-SICS: an unknown unit and a garbled reply are counted and the driver keeps reading', async () => {
    const { device, registry, weights } = await setup('mt-sics');
    device.scale!.nextReply = 'S S      1.000 dr';
    await waitFor('unknown unit', () => registry.health('scale-1')?.counters.badInput === 1);
    expect(registry.health('scale-1')!.lastError!.reason).toMatch(/unknown unit "dr"/);
    device.scale!.nextReply = 'S X 12';
    await waitFor('garbled reply', () => registry.health('scale-1')?.counters.badInput === 2);
    device.setWeight(55);
    await waitFor('weight after bad input', () => weights().find((w) => w.grams === 55));
  });

  it('Toledo continuous: decodes the stream, stable only after the band held', async () => {
    const { device, weights } = await setup('toledo');
    device.setWeight(1234.5, true);
    await waitFor('stable 1234.5 g', () => weights().find((w) => w.grams === 1234.5 && w.stable));
    const first = weights().find((w) => w.grams === 1234.5)!;
    expect(first.stable).toBe(false); // the first reading cannot have held for 300 ms yet
    device.setWeight(200, false);
    await waitFor('moving 200 g', () => weights().find((w) => w.grams === 200 && !w.stable));
  });

  it('Toledo continuous: a wrong checksum, a cut frame and bytes outside a frame are counted; the stream goes on', async () => {
    const { device, registry, weights } = await setup('toledo');
    device.scale!.stop(); // take over the wire
    const bad = toledoFrame({ grams: 10, badChecksum: 0x00 });
    const cut = toledoFrame({ grams: 20 }).subarray(0, 9);
    await device.writeRaw(Buffer.concat([Buffer.from('xx'), bad, cut, toledoFrame({ grams: 30 })]));
    await waitFor('30 g after the bad frames', () => weights().find((w) => w.grams === 30));
    expect(registry.health('scale-1')!.counters.badInput).toBe(3);
    expect(weights().map((w) => w.grams)).not.toContain(10);
  });

  it('CAS 22-byte: decodes stable, unstable and net frames; a short frame is counted', async () => {
    const { device, registry, weights } = await setup('cas');
    device.setWeight(1234, false);
    await waitFor('unstable 1234 g', () => weights().find((w) => w.grams === 1234 && !w.stable));
    device.setWeight(1234, true);
    await waitFor('stable 1234 g', () => weights().find((w) => w.grams === 1234 && w.stable));
    device.scale!.stop();
    await device.writeRaw(Buffer.concat([Buffer.from('ST,GS,1\r\n'), casFrame({ grams: 5, unit: 'xx' }), casFrame({ grams: 777 })]));
    await waitFor('777 g', () => weights().find((w) => w.grams === 777));
    expect(registry.health('scale-1')!.counters.badInput).toBe(2);
    expect(registry.health('scale-1')!.lastError!.reason).toMatch(/unknown unit "xx"/);
    await expect(registry.send('scale-1', { kind: 'zero' })).rejects.toThrow(/speaks cas, which has no zero command; use the key on the indicator/);
  });

  it('regex: a custom line format with the unstable marker', async () => {
    const { device, weights } = await setup('regex', { pattern: '^(?<unstable>\\?)?\\s*(?<weight>-?[0-9.]+) (?<unit>kg|g)$' });
    device.setWeight(2500, false);
    await waitFor('moving 2500 g', () => weights().find((w) => w.grams === 2500 && !w.stable));
    device.setWeight(2500, true);
    await waitFor('stable 2500 g', () => weights().find((w) => w.grams === 2500 && w.stable));
  });

  it('goes offline when unplugged and is back within 2 s of the replug, weighing again', async () => {
    const { device, registry, recorded, weights } = await setup('mt-sics');
    await device.unplug();
    await waitFor('offline', () => registry.health('scale-1')?.state === 'offline');
    await new Promise((r) => setTimeout(r, 1200));
    device.setWeight(321);
    await device.replug();
    await waitFor('online again', () => registry.health('scale-1')?.state === 'online', 2000);
    await waitFor('weight after replug', () => weights().find((w) => w.grams === 321));
    expect(recorded.status.map((s) => s.online)).toEqual([true, false, true]);
  });
});
