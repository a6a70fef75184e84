/**
 * Watches the conveyor's photo-eyes: each sensor device's raw blocked/clear states go through a
 * PassageDetector (its debounce and jam time from config) and what it finds goes into the event
 * log: `sensor.passage` (a tote went by, with the running count), `sensor.jam` (blocked longer
 * than `sensor.jamMs`) and `sensor.jamCleared`. A jam is also logged as a warning for the
 * operator. Counts per sensor are kept for the console and the CLI.
 *
 * @example
 *   const monitor = new ConveyorMonitor({ bus, log, logger, config: () => gateway.config });
 *   await monitor.start();
 *   monitor.counts(); // { 'eye-1': { passages: 12, jams: 1, flaps: 3, jammed: false } }
 */
import type { GatewayConfig } from '../../config/schema.ts';
import { PassageDetector, type BeamState, type SensorOutput } from '../../devices/sensors/passageDetector.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { EventBus } from './eventBus.ts';

export interface SensorCounts {
  passages: number;
  jams: number;
  flaps: number;
  jammed: boolean;
}

interface Watch {
  detector: PassageDetector;
  jams: number;
  timer?: NodeJS.Timeout;
}

export class ConveyorMonitor {
  readonly name = 'conveyor-monitor';
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly deps: {
      bus?: EventBus;
      log: Pick<EventLog, 'append'>;
      logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
      config: () => Pick<GatewayConfig, 'devices'>;
      now?: () => number;
    },
  ) {}

  async start(): Promise<void> {
    // Live: passage and jam timing need each reading when it happens, also while the gateway starts.
    this.deps.bus?.onDeviceEvent(
      this,
      (deviceId, event) => {
        if (event.kind === 'sensor') this.accept(deviceId, event.state);
      },
      { live: true },
    );
  }

  async stop(): Promise<void> {
    this.deps.bus?.removeOwner(this);
    for (const w of this.watches.values()) clearTimeout(w.timer);
    this.watches.clear();
  }

  /** A raw reading from a sensor device. */
  accept(deviceId: string, state: BeamState): void {
    const watch = this.watchOf(deviceId);
    if (!watch) return;
    this.handle(deviceId, watch, watch.detector.input(state, this.now()));
  }

  counts(): Record<string, SensorCounts> {
    return Object.fromEntries([...this.watches].map(([id, w]) => [id, { passages: w.detector.count, jams: w.jams, flaps: w.detector.flaps, jammed: w.detector.isJammed }]));
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private watchOf(deviceId: string): Watch | undefined {
    const existing = this.watches.get(deviceId);
    if (existing) return existing;
    const device = this.deps.config().devices.find((d) => d.id === deviceId && d.class === 'sensor');
    if (!device) return undefined;
    const watch: Watch = { detector: new PassageDetector({ debounceMs: device.sensor.debounceMs, jamMs: device.sensor.jamMs }), jams: 0 };
    this.watches.set(deviceId, watch);
    return watch;
  }

  private handle(deviceId: string, watch: Watch, outputs: SensorOutput[]): void {
    for (const output of outputs) void this.record(deviceId, watch, output);
    clearTimeout(watch.timer);
    const deadline = watch.detector.nextDeadline();
    if (deadline === undefined) return;
    watch.timer = setTimeout(() => this.handle(deviceId, watch, watch.detector.tick(this.now())), Math.max(0, deadline - this.now()));
    watch.timer.unref();
  }

  private async record(deviceId: string, watch: Watch, output: SensorOutput): Promise<void> {
    const at = new Date(output.at).toISOString();
    const source = { device: deviceId };
    try {
      if (output.kind === 'passage') {
        await this.deps.log.append({ type: 'sensor.passage', at, source, data: { deviceId, count: output.count, blockedMs: output.blockedMs } });
      } else if (output.kind === 'jam') {
        watch.jams++;
        this.deps.logger.warn({ component: this.name, deviceId }, `conveyor jam at sensor "${deviceId}": blocked for ${output.blockedMs} ms; clear the conveyor`);
        await this.deps.log.append({ type: 'sensor.jam', at, source, data: { deviceId, blockedMs: output.blockedMs } });
      } else {
        await this.deps.log.append({ type: 'sensor.jamCleared', at, source, data: { deviceId, blockedMs: output.blockedMs } });
      }
    } catch (err) {
      this.deps.logger.error({ component: this.name, deviceId, err: (err as Error).message }, `could not record ${output.kind} at sensor "${deviceId}"`);
    }
  }
}
