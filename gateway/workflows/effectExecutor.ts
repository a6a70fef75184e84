/**
 * Carries out a workflow's effects in the order the floor relies on: every event in one commit
 * first, then device commands (lights, feedback, print), then the station screen. So a green
 * light or a beep always means "recorded"; when the commit fails nothing is shown as done.
 *
 * @example
 *   const executor = new EffectExecutor({ log, commander, publishScreen, language: 'en' });
 *   await executor.execute(decision.effects);
 */
import type { DeviceCommandPayload } from '../../devices/contract/deviceContract.ts';
import type { LoggedEvent } from '../log/eventCatalogue.ts';
import type { EventLog } from '../log/eventLog.ts';
import { renderMessage } from '../messages/messages.ts';
import type { Effect, StationScreen } from './types.ts';

/**
 * A station screen as published: the workflow's screen, its message rendered, and the verdict
 * of the same decision (the feedback the scanner got), so a screen can show it in colour.
 */
export type ScreenUpdate = StationScreen & { text: string; verdict?: 'ok' | 'error' };

/** Sends a command to a device; the MQTT link today, the driver registry later. */
export interface DeviceCommander {
  send(deviceId: string, command: DeviceCommandPayload): Promise<void>;
}

export interface EffectExecutorOptions {
  log: Pick<EventLog, 'appendAll'>;
  commander: DeviceCommander;
  publishScreen(stationId: string, screen: ScreenUpdate): Promise<void>;
  language: string;
  onDeviceError?(deviceId: string, err: Error): void;
}

export class EffectExecutor {
  private readonly options: EffectExecutorOptions;
  constructor(options: EffectExecutorOptions) {
    this.options = options;
  }

  /**
   * Resolves with the committed events once the device commands and the screen are handed to the
   * transport (`delivered` resolves when the broker has them all); rejects, with nothing sent to
   * any device, when the commit fails. Not waiting for the broker's acknowledgements lets the
   * station take its next scan at once: MQTT keeps one client's publishes in order anyway.
   */
  async execute(effects: Effect[]): Promise<{ events: LoggedEvent[]; delivered: Promise<void> }> {
    const { log, language } = this.options;
    const appends = effects.flatMap((e) => (e.type === 'append' ? [e.event] : []));
    const results = appends.length > 0 ? await log.appendAll(appends) : [];
    const sends: Promise<void>[] = [];
    for (const e of effects) {
      if (e.type === 'command') sends.push(this.send(e.device, e.command));
      else if (e.type === 'feedback') sends.push(this.send(e.device, { kind: 'feedback', result: e.result, message: renderMessage(e.message, language) }));
    }
    const verdict = effects.find((e) => e.type === 'feedback')?.result;
    for (const e of effects) {
      if (e.type === 'screen') {
        const notice = e.screen.notice ? { noticeText: renderMessage(e.screen.notice, language) } : {};
        const screen = { ...e.screen, text: renderMessage(e.screen.message, language), ...notice, ...(verdict ? { verdict } : {}) };
        sends.push(this.options.publishScreen(e.screen.station, screen).catch((err: Error) => this.options.onDeviceError?.(`station ${e.screen.station} screen`, err)));
      }
    }
    return { events: results.map((r) => r.event), delivered: Promise.all(sends).then(() => undefined) };
  }

  private async send(deviceId: string, command: DeviceCommandPayload): Promise<void> {
    try {
      await this.options.commander.send(deviceId, command);
    } catch (err) {
      // The event is committed; a device that missed its command must not undo it.
      this.options.onDeviceError?.(deviceId, err as Error);
    }
  }
}
