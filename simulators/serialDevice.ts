/**
 * Simulated serial devices on a socat pty pair: a line scanner and a scale of any serial
 * protocol. Each owns its pty pair, so `unplug()` / `replug()` act like pulling and
 * re-inserting the USB-serial adapter.
 *
 * @example
 *   const scanner = new SerialScannerSimulator({ link: '/tmp/dsgw-scanner' });
 *   await scanner.start();                 // the gateway opens /tmp/dsgw-scanner
 *   await scanner.scan(']E04006381333931'); // writes "]E04006381333931\r\n"
 */
import { SerialPort } from 'serialport';
import { PtyPair } from './ptyPair.ts';
import { ScaleBehaviour, type ScaleBehaviourOptions } from './scaleBehaviour.ts';

export abstract class SerialDeviceSimulator {
  readonly pty: PtyPair;
  protected port?: SerialPort;
  /** Every byte the gateway wrote to the device (feedback, commands). */
  received = Buffer.alloc(0);

  constructor(link: string) {
    this.pty = new PtyPair(link);
  }

  get gatewayPath(): string {
    return this.pty.gatewayPath;
  }

  async start(): Promise<void> {
    await this.pty.start();
    const port = new SerialPort({ path: this.pty.devicePath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.onData(chunk);
    });
    // The pty vanishing under us during unplug is expected.
    port.on('error', () => undefined);
    this.port = port;
    this.onOpen();
  }

  /** Writes raw bytes as the device would. */
  async writeRaw(bytes: Buffer | string): Promise<void> {
    const port = this.port;
    if (!port) throw new Error(`simulated device on ${this.pty.gatewayPath} is unplugged`);
    await new Promise<void>((resolve, reject) => port.write(bytes, (err) => (err ? reject(err) : port.drain(() => resolve()))));
  }

  async unplug(): Promise<void> {
    this.onClose();
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await this.pty.unplug();
  }

  async replug(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.unplug();
  }

  protected onData(_chunk: Buffer): void {}
  protected onOpen(): void {}
  protected onClose(): void {}
}

export class SerialScannerSimulator extends SerialDeviceSimulator {
  constructor(private readonly options: { link: string; prefix?: string; suffix?: string; delimiter?: string }) {
    super(options.link);
  }

  /** Sends one barcode as the scanner would: prefix, data, suffix, delimiter. */
  async scan(data: string): Promise<void> {
    const { prefix = '', suffix = '', delimiter = '\r\n' } = this.options;
    await this.writeRaw(Buffer.from(`${prefix}${data}${suffix}${delimiter}`, 'utf8'));
  }
}

export class SerialScaleSimulator extends SerialDeviceSimulator {
  scale?: ScaleBehaviour;
  private weight = { grams: 0, stable: true };

  constructor(private readonly options: ScaleBehaviourOptions & { link: string }) {
    super(options.link);
  }

  setWeight(grams: number, stable = true): void {
    this.weight = { grams, stable };
    this.scale?.setWeight(grams, stable);
  }

  protected override onOpen(): void {
    this.scale = new ScaleBehaviour(this.options, (bytes) => void this.writeRaw(bytes).catch(() => undefined));
    this.scale.setWeight(this.weight.grams, this.weight.stable);
  }

  protected override onData(chunk: Buffer): void {
    this.scale?.receive(chunk);
  }

  protected override onClose(): void {
    this.scale?.stop();
  }
}
