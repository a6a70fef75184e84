/** The event bus holds device events while the gateway starts, and hands them over in order. */
import { describe, expect, it } from 'vitest';
import { EventBus, type DeviceEvent } from '../../gateway/core/eventBus.ts';

const scan = (data: string): DeviceEvent => ({ kind: 'scan', data });

describe('event bus: device events held while the gateway starts', () => {
  it('delivers held events in order to the listeners registered by the release, then passes new ones straight on', () => {
    const bus = new EventBus();
    bus.holdDeviceEvents();
    bus.emitDeviceEvent('scanner-1', scan('A'));
    bus.emitDeviceEvent('scanner-2', scan('B'));
    const seen: string[] = [];
    bus.onDeviceEvent(seen, (id, e) => seen.push(`${id}:${(e as { data: string }).data}`));
    expect(seen).toEqual([]);
    expect(bus.releaseDeviceEvents()).toEqual({ delivered: 2, dropped: 0, droppedBy: {} });
    bus.emitDeviceEvent('scanner-1', scan('C'));
    expect(seen).toEqual(['scanner-1:A', 'scanner-2:B', 'scanner-1:C']);
  });

  it('holds at most 10000 events: a flood drops the oldest and the release counts them', () => {
    const bus = new EventBus();
    bus.holdDeviceEvents();
    for (let i = 0; i < 10_005; i++) bus.emitDeviceEvent('scanner-1', scan(String(i)));
    const seen: string[] = [];
    bus.onDeviceEvent(seen, (_id, e) => seen.push((e as { data: string }).data));
    expect(bus.releaseDeviceEvents()).toEqual({ delivered: 10_000, dropped: 5, droppedBy: { 'scanner-1': 5 } });
    expect(seen[0]).toBe('5');
    expect(seen.at(-1)).toBe('10004');
  });

  it('without a hold, events go straight to the listeners', () => {
    const bus = new EventBus();
    const seen: DeviceEvent[] = [];
    bus.onDeviceEvent(seen, (_id, e) => seen.push(e));
    bus.emitDeviceEvent('scanner-1', scan('A'));
    expect(seen).toEqual([scan('A')]);
    expect(bus.releaseDeviceEvents()).toEqual({ delivered: 0, dropped: 0, droppedBy: {} });
  });

  it('live listeners (activity records, conveyor timing) get events as they happen, also while others wait', () => {
    const bus = new EventBus();
    const live: string[] = [];
    const held: string[] = [];
    bus.onDeviceEvent(live, (_id, e) => live.push((e as { data: string }).data), { live: true });
    bus.onDeviceEvent(held, (_id, e) => held.push((e as { data: string }).data));
    bus.holdDeviceEvents();
    bus.emitDeviceEvent('scanner-1', scan('A'));
    expect(live).toEqual(['A']);
    expect(held).toEqual([]);
    bus.releaseDeviceEvents();
    bus.emitDeviceEvent('scanner-1', scan('B'));
    expect(live).toEqual(['A', 'B']);
    expect(held).toEqual(['A', 'B']);
  });
});
