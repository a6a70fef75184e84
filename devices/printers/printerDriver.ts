/**
 * The driver of a label or receipt printer: a durable print queue in front of a printer port
 * (ZPL over raw TCP, ESC/POS through node-thermal-printer). `send({ kind: 'print' })` resolves
 * once the job is queued durably, not once it printed: the queue prints it when the printer is
 * ready, once. Health follows the printer's status (a ZPL printer silent to ~HS is a fault).
 *
 * @example
 *   await registry.send('label-1', { kind: 'print', format: 'zpl', document: '^XA...^XZ', jobId: 'bag-O-1' });
 *   (registry.driver('label-1') as PrinterDriver).queue().pending(); // jobs not printed yet
 */
import { CommandError, type DeviceCommand, type DeviceDriver, type DeviceHealth } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import { HealthRecorder } from '../health.ts';
import { EscposPrinterPort } from './escposPrinterPort.ts';
import { EscposSerialPrinterPort } from './escposSerialPrinterPort.ts';
import type { PrinterPort } from './printerPort.ts';
import { memoryPrintJournal } from './printJournal.ts';
import { PrintQueue } from './printQueue.ts';
import { ZplPrinterPort } from './zplPrinterPort.ts';
import { serialConnector } from '../transports/serialConnector.ts';
import { tcpConnector } from '../transports/tcpConnector.ts';

export function printerPortFor(context: DriverContext): PrinterPort {
  const { device } = context;
  const t = device.transport;
  const settings = device.printer;
  if (t.type === 'tcp' && settings.language === 'escpos') return new EscposPrinterPort({ interface: `tcp://${t.host}:${t.port}`, type: settings.escposType, timeoutMs: settings.statusTimeoutMs });
  if (t.type === 'serial' && settings.language === 'escpos') return new EscposSerialPrinterPort({ connector: serialConnector(t), type: settings.escposType, statusTimeoutMs: settings.statusTimeoutMs });
  if (settings.language === 'escpos') throw new Error(`printer "${device.id}": an ESC/POS printer is driven over tcp or serial, not ${t.type}; see docs/devices.md`);
  if (t.type === 'tcp') return new ZplPrinterPort({ connector: tcpConnector(t), statusTimeoutMs: settings.statusTimeoutMs });
  if (t.type === 'serial') return new ZplPrinterPort({ connector: serialConnector(t), statusTimeoutMs: settings.statusTimeoutMs });
  throw new Error(`printer "${device.id}": a ZPL printer is driven over tcp or serial, not ${t.type}; see docs/devices.md`);
}

export class PrinterDriver implements DeviceDriver {
  readonly deviceId: string;
  private readonly recorder: HealthRecorder;
  private readonly printQueue: PrintQueue;
  private readonly port: PrinterPort;
  private poll?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly context: DriverContext) {
    const { device } = context;
    this.deviceId = device.id;
    this.port = printerPortFor(context);
    this.recorder = new HealthRecorder({ deviceId: device.id, driver: `printer (${device.printer.language}) over ${device.transport.type}`, address: this.port.address, sink: context.sink, logger: context.logger });
    this.printQueue = new PrintQueue({
      printer: device.id,
      port: this.port,
      journal: context.printJournal ?? memoryPrintJournal(),
      retryMs: device.printer.retryMs,
      onStatus: (status) => (status.ready ? this.recorder.online() : this.recorder.offline(status.reason)),
      onPrinted: (job) => {
        this.recorder.commandSent();
        context.logger.info({ deviceId: device.id, jobId: job.jobId }, `${this.recorder.what()}: printed job ${job.jobId}`);
      },
      onAttemptFailed: (job, reason) => this.recorder.commandFailed(`job ${job.jobId}: ${reason}`),
    });
  }

  async start(): Promise<void> {
    this.running = true;
    this.recorder.connecting();
    this.printQueue.start();
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.poll);
    this.printQueue.stop();
    this.recorder.stopped();
  }

  health(): DeviceHealth {
    return this.recorder.snapshot();
  }

  queue(): PrintQueue {
    return this.printQueue;
  }

  async send(command: DeviceCommand): Promise<void> {
    if (command.kind !== 'print') throw new CommandError(`${this.recorder.what()} is a printer; it takes print commands, not ${command.kind}`);
    const language = this.context.device.printer.language;
    if (command.format !== language) throw new CommandError(`${this.recorder.what()} prints ${language}, not ${command.format}; send a ${language} document or change printer.language`);
    await this.printQueue.enqueue(command);
  }

  /** An idle printer's status is asked now and then, so health shows a fault before a job needs it. */
  private schedulePoll(): void {
    if (!this.running) return;
    this.poll = setTimeout(async () => {
      if (this.printQueue.pending().length === 0) {
        const status = await this.port.status();
        if (this.running && status.ready) this.recorder.online();
        else if (this.running) this.recorder.offline(status.reason);
      }
      this.schedulePoll();
    }, this.recorder.state === 'connecting' ? 0 : this.context.device.printer.statusPollMs);
  }
}
