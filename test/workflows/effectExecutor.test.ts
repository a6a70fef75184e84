import { describe, expect, it } from 'vitest';
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import type { AppendInput, AppendResult } from '../../gateway/log/eventLog.ts';
import { msg } from '../../gateway/messages/messages.ts';
import { EffectExecutor } from '../../gateway/workflows/effectExecutor.ts';
import type { Effect } from '../../gateway/workflows/types.ts';

function harness(options: { failCommit?: boolean; failDevice?: string } = {}) {
  const trail: string[] = [];
  const executor = new EffectExecutor({
    language: 'en',
    log: {
      appendAll: async (inputs: AppendInput[]): Promise<AppendResult[]> => {
        if (options.failCommit) throw new Error('disk full');
        trail.push(`commit ${inputs.map((i) => i.type).join('+')}`);
        return inputs.map((i, n) => ({ duplicate: false, event: { seq: n + 1, id: String(n), type: i.type, at: '', source: {}, data: i.data as never } }));
      },
    },
    commander: {
      send: async (deviceId: string, command: DeviceCommandPayload) => {
        if (deviceId === options.failDevice) throw new Error('offline');
        trail.push(`${deviceId} ${command.kind}${command.kind === 'feedback' ? `: ${command.message}` : ''}`);
      },
    },
    publishScreen: async (station, screen) => void trail.push(`screen ${station}: ${screen.text}`),
    onDeviceError: (deviceId, err) => trail.push(`undelivered ${deviceId}: ${err.message}`),
  });
  return { executor, trail };
}

const effects: Effect[] = [
  { type: 'screen', screen: { station: 'pick-1', kind: 'pick', phase: 'picking', message: msg('pick.next', { qty: 1, name: 'Milk', bin: 'A-01' }) } },
  { type: 'feedback', device: 'scanner-1', result: 'error', message: msg('pick.wrongItem', { scanned: 'Oat Milk 1L', expected: 'Whole Milk 1L' }) },
  { type: 'append', event: { type: 'verification.failed', data: { reason: 'pick.wrongItem' } } },
  { type: 'command', device: 'lights-1', command: { kind: 'light', color: 'red' } },
  { type: 'append', event: { type: 'task.created', data: { taskId: 't', kind: 'count', bin: 'A-01' } } },
];

describe('EffectExecutor', () => {
  it('commits every event in one append first, then sends the commands with rendered messages, then the screen', async () => {
    const { executor, trail } = harness();
    const { events, delivered } = await executor.execute(effects);
    await delivered;
    expect(events.map((e) => e.type)).toEqual(['verification.failed', 'task.created']);
    expect(trail).toEqual([
      'commit verification.failed+task.created',
      'scanner-1 feedback: wrong item: scanned Oat Milk 1L, expected Whole Milk 1L',
      'lights-1 light',
      'screen pick-1: pick 1 x Milk from bin A-01',
    ]);
  });
  it('sends nothing when the commit fails, so no device shows a verdict that was not recorded', async () => {
    const { executor, trail } = harness({ failCommit: true });
    await expect(executor.execute(effects)).rejects.toThrow('disk full');
    expect(trail).toEqual([]);
  });
  it('a device that misses its command does not undo the commit or stop the others', async () => {
    const { executor, trail } = harness({ failDevice: 'lights-1' });
    const { delivered } = await executor.execute(effects);
    await delivered;
    expect(trail).toContain('undelivered lights-1: offline');
    expect(trail).toContain('screen pick-1: pick 1 x Milk from bin A-01');
  });
});
