/**
 * What a simulated scale does on the wire, independent of the wire: answers MT-SICS commands,
 * or streams Toledo / CAS / regex-style frames seven times a second. The serial and TCP scale
 * simulators plug it into a pty or a socket.
 *
 * @example
 *   const scale = new ScaleBehaviour({ protocol: 'mt-sics' }, (bytes) => port.write(bytes));
 *   port.on('data', (chunk) => scale.receive(chunk));
 *   scale.setWeight(412.5, true);
 */
import { casFrame, mtSicsWeight, toledoFrame } from './scaleFrames.ts';

export type SimulatedScaleProtocol = 'mt-sics' | 'toledo' | 'cas' | 'regex';

export interface ScaleBehaviourOptions {
  protocol: SimulatedScaleProtocol;
  /** Streaming interval; real cheap scales send about 7 frames a second. */
  intervalMs?: number;
  /** MT-SICS: stop answering (a cable pulled on the scale's side, wrong baud rate). */
  silent?: boolean;
}

export class ScaleBehaviour {
  grams = 0;
  stable = true;
  tareGrams = 0;
  /** MT-SICS reply to the next command instead of the normal one, e.g. "S I", "ES", "Z I". */
  nextReply?: string;
  /** Commands received, for tests: "SI", "Z", "T". */
  readonly received: string[] = [];
  private pending = '';
  private timer?: NodeJS.Timeout;

  constructor(
    readonly options: ScaleBehaviourOptions,
    private readonly write: (bytes: Buffer) => void,
  ) {
    if (options.protocol !== 'mt-sics') {
      this.timer = setInterval(() => this.write(this.frame()), options.intervalMs ?? 140);
    }
  }

  setWeight(grams: number, stable = true): void {
    this.grams = grams;
    this.stable = stable;
  }

  /** One streaming frame of the current weight. */
  frame(): Buffer {
    switch (this.options.protocol) {
      case 'toledo':
        return toledoFrame({ grams: this.grams, tareGrams: this.tareGrams, decimals: 1, unit: 'g', motion: !this.stable, net: this.tareGrams > 0 });
      case 'cas':
        return casFrame({ grams: this.grams, stable: this.stable, net: this.tareGrams > 0 });
      default:
        return Buffer.from(`${this.stable ? ' ' : '?'}${(this.grams / 1000).toFixed(3)} kg\r\n`, 'latin1');
    }
  }

  receive(chunk: Buffer): void {
    this.pending += chunk.toString('latin1');
    for (;;) {
      const at = this.pending.search(/\r\n|\n|\r/);
      if (at < 0) break;
      const line = this.pending.slice(0, at).trim();
      this.pending = this.pending.slice(at + (this.pending.startsWith('\r\n', at) ? 2 : 1));
      if (line === '') continue;
      if (this.options.protocol === 'mt-sics') this.answer(line);
      else this.received.push(line);
    }
    if (this.options.protocol !== 'mt-sics' && /^[ZT]$/.test(this.pending)) {
      // Toledo-style single-letter commands come without a line end.
      this.received.push(this.pending);
      this.applyCommand(this.pending);
      this.pending = '';
    }
  }

  private answer(command: string): void {
    this.received.push(command);
    if (this.options.silent) return;
    const override = this.nextReply;
    this.nextReply = undefined;
    if (override !== undefined) return this.write(Buffer.from(`${override}\r\n`, 'latin1'));
    switch (command) {
      case 'S':
        return this.write(Buffer.from(this.stable ? mtSicsWeight(this.grams, true) : 'S I\r\n'));
      case 'SI':
      case 'SIR':
        return this.write(Buffer.from(mtSicsWeight(this.grams, this.stable)));
      case 'Z':
      case 'T':
        this.applyCommand(command);
        return this.write(Buffer.from(command === 'Z' ? 'Z A\r\n' : `T S ${this.tareGrams.toFixed(2).padStart(10)} g\r\n`));
      case 'TA':
        return this.write(Buffer.from(`TA A ${this.tareGrams.toFixed(2).padStart(10)} g\r\n`));
      default:
        return this.write(Buffer.from('ES\r\n'));
    }
  }

  private applyCommand(command: string): void {
    if (command === 'Z') {
      this.grams = 0;
      this.tareGrams = 0;
    } else if (command === 'T') {
      this.tareGrams += this.grams;
      this.grams = 0;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
