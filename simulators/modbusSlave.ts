/**
 * A Modbus slave for tests and demos: many units (pick-to-light modules, photo-eye inputs) on
 * one RS-485 line (Modbus RTU over a socat pty) or behind one Modbus TCP gateway. It answers
 * function codes 3 (read holding), 4 (read input), 6 (write single) and 16 (write multiple);
 * a unit that is not present stays silent (as on a real bus), a register outside the map gets
 * exception 2 (illegal data address). Written here rather than taken from modbus-serial's
 * servers so tests can unplug the line, silence a unit and watch every write.
 *
 * @example
 *   const slave = new ModbusSlave({ units: [1, 2, 3] });
 *   await slave.listenTcp();                   // slave.port: where the gateway connects
 *   await slave.attachPty('/tmp/dsgw-lights');  // or: a serial line the gateway opens
 *   slave.holding(2)[0];                        // what the gateway wrote to unit 2, register 0
 *   slave.setInput(3, 0, 1);                    // photo-eye on unit 3 blocked
 */
import { createServer, type Server, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import { PtyPair } from './ptyPair.ts';

export interface ModbusSlaveOptions {
  units: number[];
  /** Registers per unit (holding and input each); beyond it, exception 2. */
  registers?: number;
}

export interface ModbusWrite {
  unit: number;
  register: number;
  values: number[];
}

export function crc16(bytes: Buffer): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >> 1) ^ 0xa001 : crc >> 1;
  }
  return crc;
}

export class ModbusSlave {
  private readonly holdingRegs = new Map<number, number[]>();
  private readonly inputRegs = new Map<number, number[]>();
  private readonly silent = new Set<number>();
  private readonly readHooks: Array<(unit: number, register: number, kind: 'holding' | 'input') => void> = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private pty?: PtyPair;
  private serial?: SerialPort;
  private rtuBuffer = Buffer.alloc(0);
  /** Every write the gateway made, in order. */
  readonly writes: ModbusWrite[] = [];
  port = 0;

  constructor(private readonly options: ModbusSlaveOptions) {
    const size = options.registers ?? 32;
    for (const unit of options.units) {
      this.holdingRegs.set(unit, new Array<number>(size).fill(0));
      this.inputRegs.set(unit, new Array<number>(size).fill(0));
    }
  }

  holding(unit: number): number[] {
    return this.holdingRegs.get(unit) ?? [];
  }

  setHolding(unit: number, register: number, value: number): void {
    this.holding(unit)[register] = value;
  }

  setInput(unit: number, register: number, value: number): void {
    const regs = this.inputRegs.get(unit);
    if (regs) regs[register] = value;
  }

  /** A silent unit does not answer (powered off, unplugged from the bus). */
  setSilent(unit: number, silent: boolean): void {
    if (silent) this.silent.add(unit);
    else this.silent.delete(unit);
  }

  /** Called after each answered read, e.g. to clear a latched button register. */
  onRead(hook: (unit: number, register: number, kind: 'holding' | 'input') => void): void {
    this.readHooks.push(hook);
  }

  async listenTcp(port = 0): Promise<void> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        while (buffer.length >= 7) {
          const length = buffer.readUInt16BE(4);
          if (buffer.length < 6 + length) break;
          const frame = buffer.subarray(0, 6 + length);
          buffer = buffer.subarray(6 + length);
          const pdu = this.answer(frame[6]!, frame.subarray(7));
          if (!pdu) continue;
          const header = Buffer.alloc(7);
          frame.copy(header, 0, 0, 4);
          header.writeUInt16BE(pdu.length + 1, 4);
          header[6] = frame[6]!;
          socket.write(Buffer.concat([header, pdu]));
        }
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
  }

  /** Drops every TCP connection (the Modbus gateway rebooted); the listener stays. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async attachPty(link: string): Promise<PtyPair> {
    this.pty = new PtyPair(link);
    await this.openPty();
    return this.pty;
  }

  /** Pulls the RS-485 adapter: the pty vanishes. */
  async unplug(): Promise<void> {
    await new Promise<void>((resolve) => (this.serial?.isOpen ? this.serial.close(() => resolve()) : resolve()));
    await this.pty?.unplug();
  }

  async replug(): Promise<void> {
    await this.openPty();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.serial?.isOpen ? this.serial.close(() => resolve()) : resolve()));
    await this.pty?.stop();
  }

  private async openPty(): Promise<void> {
    const pty = this.pty!;
    await pty.start();
    const serial = new SerialPort({ path: pty.devicePath, baudRate: 19200, autoOpen: false });
    await new Promise<void>((resolve, reject) => serial.open((err) => (err ? reject(err) : resolve())));
    serial.on('error', () => undefined);
    this.rtuBuffer = Buffer.alloc(0);
    serial.on('data', (chunk: Buffer) => this.onRtu(chunk));
    this.serial = serial;
  }

  private onRtu(chunk: Buffer): void {
    this.rtuBuffer = Buffer.concat([this.rtuBuffer, chunk]);
    for (;;) {
      const length = rtuRequestLength(this.rtuBuffer);
      if (length === undefined || this.rtuBuffer.length < length) return;
      const frame = this.rtuBuffer.subarray(0, length);
      this.rtuBuffer = this.rtuBuffer.subarray(length);
      if (crc16(frame.subarray(0, length - 2)) !== frame.readUInt16LE(length - 2)) {
        this.rtuBuffer = Buffer.alloc(0); // lost sync: wait for the next request
        return;
      }
      const pdu = this.answer(frame[0]!, frame.subarray(1, length - 2));
      if (!pdu) continue;
      const reply = Buffer.concat([Buffer.from([frame[0]!]), pdu, Buffer.alloc(2)]);
      reply.writeUInt16LE(crc16(reply.subarray(0, reply.length - 2)), reply.length - 2);
      this.serial?.write(reply);
    }
  }

  /** The reply PDU to a request PDU, or undefined when the unit stays silent. */
  private answer(unit: number, pdu: Buffer): Buffer | undefined {
    if (this.silent.has(unit) || !this.holdingRegs.has(unit)) return undefined;
    const fc = pdu[0]!;
    const exception = (code: number) => Buffer.from([fc | 0x80, code]);
    const register = pdu.readUInt16BE(1);
    if (fc === 3 || fc === 4) {
      const count = pdu.readUInt16BE(3);
      const regs = fc === 3 ? this.holdingRegs.get(unit)! : this.inputRegs.get(unit)!;
      if (count < 1 || register + count > regs.length) return exception(2);
      const out = Buffer.alloc(2 + count * 2);
      out[0] = fc;
      out[1] = count * 2;
      for (let i = 0; i < count; i++) out.writeUInt16BE(regs[register + i]!, 2 + i * 2);
      for (const hook of this.readHooks) hook(unit, register, fc === 3 ? 'holding' : 'input');
      return out;
    }
    if (fc === 6 || fc === 16) {
      const regs = this.holdingRegs.get(unit)!;
      const values = fc === 6 ? [pdu.readUInt16BE(3)] : Array.from({ length: pdu.readUInt16BE(3) }, (_, i) => pdu.readUInt16BE(6 + i * 2));
      if (register + values.length > regs.length) return exception(2);
      values.forEach((v, i) => (regs[register + i] = v));
      this.writes.push({ unit, register, values });
      return fc === 6 ? Buffer.from(pdu.subarray(0, 5)) : Buffer.from(pdu.subarray(0, 5));
    }
    return exception(1);
  }
}

/** Length of the RTU request at the start of `buf`, or undefined when too little has arrived to tell. */
function rtuRequestLength(buf: Buffer): number | undefined {
  if (buf.length < 2) return undefined;
  const fc = buf[1]!;
  if (fc === 3 || fc === 4 || fc === 6) return 8;
  if (fc === 16) return buf.length < 7 ? undefined : 9 + buf[6]!;
  return 4; // unknown function: address, fc, crc; answered with exception 1
}
