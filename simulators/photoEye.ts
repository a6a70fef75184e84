/**
 * Conveyor photo-eyes that play tote passages and jams: on a Modbus input register (a unit on
 * a simulated Modbus line or TCP gateway) or as lines on a serial pty ("B" blocked, "C" clear).
 *
 * @example
 *   const eye = new ModbusPhotoEye(slave, { unit: 3, register: 0 });
 *   await eye.passage(200);  // blocked for 200 ms, then clear
 *   await eye.jam(6000);     // blocked for 6 s, then clear
 */
import { SerialPort } from 'serialport';
import type { ModbusSlave } from './modbusSlave.ts';
import { PtyPair } from './ptyPair.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Beam {
  set(blocked: boolean): Promise<void> | void;
}

abstract class PhotoEye implements Beam {
  abstract set(blocked: boolean): Promise<void> | void;

  /** A tote passes: the beam is blocked for `blockedMs`, then clear for `gapMs`. */
  async passage(blockedMs: number, gapMs = 100): Promise<void> {
    await this.set(true);
    await sleep(blockedMs);
    await this.set(false);
    await sleep(gapMs);
  }

  /** A jam: blocked for `blockedMs`, then cleared. */
  async jam(blockedMs: number): Promise<void> {
    await this.passage(blockedMs);
  }
}

export class ModbusPhotoEye extends PhotoEye {
  constructor(
    private readonly slave: ModbusSlave,
    private readonly where: { unit: number; register: number },
  ) {
    super();
  }

  set(blocked: boolean): void {
    this.slave.setInput(this.where.unit, this.where.register, blocked ? 1 : 0);
  }
}

export class SerialPhotoEye extends PhotoEye {
  readonly pty: PtyPair;
  private port?: SerialPort;

  constructor(link: string) {
    super();
    this.pty = new PtyPair(link);
  }

  async start(): Promise<void> {
    await this.pty.start();
    const port = new SerialPort({ path: this.pty.devicePath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('error', () => undefined);
    this.port = port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.port?.isOpen ? this.port.close(() => resolve()) : resolve()));
    await this.pty.stop();
  }

  /** Writes a raw line, e.g. "B", "C" or garbage. */
  async line(text: string): Promise<void> {
    await new Promise<void>((resolve, reject) => this.port!.write(`${text}\r\n`, (err) => (err ? reject(err) : resolve())));
  }

  async set(blocked: boolean): Promise<void> {
    await this.line(blocked ? 'B' : 'C');
  }
}
