import { describe, expect, it } from 'vitest';
import { batteryPercent, endpointFor, lightCommands, possibleClasses, toDriverEvent, type ZigbeeMessage } from '../../devices/zigbee/clusterMapping.ts';

const msg = (cluster: string, type: string, data: Record<string, unknown> = {}): ZigbeeMessage => ({ cluster, type, data });

describe('Zigbee cluster mapping', () => {
  it.each([
    ['button', msg('genOnOff', 'commandOn'), { kind: 'button', button: 'confirm' }],
    ['button', msg('genOnOff', 'commandToggle'), { kind: 'button', button: 'confirm' }],
    ['button', msg('genOnOff', 'commandOff'), { kind: 'button', button: 'short' }],
    ['button', msg('genMultistateInput', 'attributeReport', { presentValue: 1 }), { kind: 'button', button: 'confirm' }],
    ['button', msg('genMultistateInput', 'attributeReport', { presentValue: 2 }), { kind: 'button', button: 'short' }],
    ['button', msg('genMultistateInput', 'attributeReport', { presentValue: 255 }), undefined],
    ['button', msg('genScenes', 'commandRecall', { sceneid: 2 }), { kind: 'button', button: 'short' }],
    ['button', msg('genLevelCtrl', 'commandStepWithOnOff', { stepmode: 0 }), { kind: 'button', button: 'plus' }],
    ['button', msg('genLevelCtrl', 'commandMove', { movemode: 1 }), { kind: 'button', button: 'minus' }],
    ['sensor', msg('ssIasZone', 'commandStatusChangeNotification', { zonestatus: 0b101 }), { kind: 'sensor', state: 'blocked' }],
    ['sensor', msg('ssIasZone', 'attributeReport', { zoneStatus: 0b100 }), { kind: 'sensor', state: 'clear' }],
    ['sensor', msg('genBinaryInput', 'attributeReport', { presentValue: 1 }), { kind: 'sensor', state: 'blocked' }],
    ['sensor', msg('genBinaryInput', 'attributeReport', { presentValue: 0 }), { kind: 'sensor', state: 'clear' }],
    ['sensor', msg('genOnOff', 'commandOn'), undefined],
    ['light', msg('genOnOff', 'attributeReport', { onOff: 1 }), undefined],
  ] as const)('%s %o -> %o', (deviceClass, message, expected) => {
    expect(toDriverEvent(deviceClass, message)).toEqual(expected);
  });

  it('battery comes in half-percents; 0xff means unknown', () => {
    expect(batteryPercent(msg('genPowerCfg', 'attributeReport', { batteryPercentageRemaining: 199 }))).toBe(100);
    expect(batteryPercent(msg('genPowerCfg', 'attributeReport', { batteryPercentageRemaining: 0xff }))).toBeUndefined();
  });

  it('a plain on/off light (no colour, no level) is just switched on; colour is not sent to it', () => {
    expect(lightCommands({ color: 'red' }, { color: false, level: false })).toEqual([{ cluster: 'genOnOff', command: 'on', payload: {} }]);
    expect(lightCommands({ color: 'off' }, { color: true, level: true })).toEqual([{ cluster: 'genOnOff', command: 'off', payload: {} }]);
  });

  it('picks the endpoint by class: a remote that sends genOnOff is a button, not a light', () => {
    const remote = [{ id: 1, inputClusters: ['genBasic', 'genPowerCfg'], outputClusters: ['genOnOff'] }];
    expect(endpointFor('light', remote)).toBeUndefined();
    expect(endpointFor('button', remote)?.id).toBe(1);
    expect(possibleClasses(remote)).toEqual(['button']);
  });
});
