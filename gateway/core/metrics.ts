/**
 * The Prometheus registry and the gateway's own metrics, in one place so names stay stable.
 * Served at `/metrics`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();

  readonly logAppends = new Counter({ name: 'dsgw_log_appends_total', help: 'Events committed to the event log', labelNames: ['type'], registers: [this.registry] });
  readonly logCommitBatch = new Histogram({
    name: 'dsgw_log_commit_batch_events',
    help: 'Events per group commit',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });
  readonly logCommitSeconds = new Histogram({
    name: 'dsgw_log_commit_seconds',
    help: 'Time of one group commit',
    buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly logAppendErrors = new Counter({ name: 'dsgw_log_append_errors_total', help: 'Appends refused or failed', labelNames: ['reason'], registers: [this.registry] });
  readonly brokerClients = new Gauge({ name: 'dsgw_broker_clients', help: 'Clients connected to the embedded broker', registers: [this.registry] });
  readonly brokerMessages = new Counter({ name: 'dsgw_broker_messages_total', help: 'MQTT messages published through the embedded broker', registers: [this.registry] });
  readonly brokerAuthFailures = new Counter({ name: 'dsgw_broker_auth_failures_total', help: 'Refused MQTT connections', labelNames: ['reason'], registers: [this.registry] });
  readonly brokerAclDenied = new Counter({ name: 'dsgw_broker_acl_denied_total', help: 'Publishes or subscribes outside a device\'s own topics', labelNames: ['action'], registers: [this.registry] });
  readonly deviceMessages = new Counter({ name: 'dsgw_device_messages_total', help: 'Device events accepted from the device contract', labelNames: ['kind'], registers: [this.registry] });
  readonly devicePayloadErrors = new Counter({ name: 'dsgw_device_payload_errors_total', help: 'Device payloads refused (answered on the errors topic)', labelNames: ['device', 'error'], registers: [this.registry] });
  readonly deviceDuplicates = new Counter({ name: 'dsgw_device_duplicates_total', help: 'Redelivered device messages dropped by id', registers: [this.registry] });
  readonly devicesOnline = new Gauge({ name: 'dsgw_devices_online', help: 'Devices currently online', registers: [this.registry] });

  // Floor accuracy (docs/workflows.md): per station, so a struggling station or scanner shows up.
  readonly floorScans = new Counter({ name: 'dsgw_floor_scans_total', help: 'Scans received by a station', labelNames: ['station'], registers: [this.registry] });
  readonly floorVerdicts = new Counter({ name: 'dsgw_floor_verdicts_total', help: 'Verified floor actions by result (ok, failed)', labelNames: ['station', 'result'], registers: [this.registry] });
  readonly floorFailures = new Counter({ name: 'dsgw_floor_failures_total', help: 'verification.failed by reason (message key)', labelNames: ['station', 'reason'], registers: [this.registry] });
  readonly floorShortPicks = new Counter({ name: 'dsgw_floor_short_picks_total', help: 'Units recorded short at picking', labelNames: ['station'], registers: [this.registry] });
  readonly floorOverrides = new Counter({ name: 'dsgw_floor_overrides_total', help: 'Supervisor overrides', labelNames: ['station'], registers: [this.registry] });
  readonly floorOutOfTolerance = new Counter({ name: 'dsgw_floor_out_of_tolerance_total', help: 'Checkweigh readings outside tolerance', labelNames: ['station'], registers: [this.registry] });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'dsgw_' });
  }

  /**
   * Per-device gauges read from the drivers' health at scrape time, so a driver needs no
   * metrics code. Counts start again when a driver restarts (config change), hence gauges.
   */
  watchDevices(read: () => Array<{ deviceId: string; state: string; counters: { badInput: number; reconnects: number; events: number } }>): void {
    const gauge = (name: string, help: string, value: (h: ReturnType<typeof read>[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['device'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const h of read()) this.set({ device: h.deviceId }, value(h));
        },
      });
    gauge('dsgw_device_up', 'Device driver online (1) or not (0)', (h) => (h.state === 'online' ? 1 : 0));
    gauge('dsgw_device_bad_input', 'Unreadable frames, reports or payloads since the driver started', (h) => h.counters.badInput);
    gauge('dsgw_device_reconnects', 'Times the device came back since the driver started', (h) => h.counters.reconnects);
    gauge('dsgw_device_events', 'Events read from the device since the driver started', (h) => h.counters.events);
  }
}
