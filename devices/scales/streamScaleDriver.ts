/**
 * Scales over serial or TCP, for every byte protocol (MT-SICS, Toledo continuous, CAS, regex).
 * Polled scales (MT-SICS) are asked for the weight every `scale.pollMs`; a scale that stops
 * answering is reported once with what to check. Streaming scales are read as they send, and
 * their stability is confirmed with a band and a hold time. Zero and tare wait for the
 * scale's answer where the protocol has one.
 *
 * @example
 *   await registry.send('scale-1', { kind: 'tare' }); // rejects with the scale's reason, e.g. "the scale is busy"
 */
import { CommandError, type DeviceCommand } from '../driver.ts';
import type { DriverContext } from '../driverContext.ts';
import type { FrameDecoder } from '../frames.ts';
import { LinkedDriver } from '../linkedDriver.ts';
import type { Connection } from '../transports/connection.ts';
import { connectorFor, serialSettingsText } from '../transports/connectorFor.ts';
import type { ScaleMessage, ScaleProtocol } from './scaleProtocol.ts';
import { scaleProtocolFor } from './scaleProtocols.ts';
import { StabilityDetector } from './stability.ts';

interface PendingCommand {
  kind: 'zero' | 'tare';
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class StreamScaleDriver extends LinkedDriver {
  private readonly protocol: ScaleProtocol;
  private readonly decoder: FrameDecoder<ScaleMessage>;
  private readonly stability: StabilityDetector;
  private pollTimer?: NodeJS.Timeout;
  private awaitingSince?: number;
  private silentReported = false;
  private lastStatus?: string;
  private pending?: PendingCommand;

  constructor(context: DriverContext) {
    const protocol = scaleProtocolFor(context.device);
    super(context, `scale over ${context.device.transport.type} (${protocol.name})`, connectorFor(context.device, context.hid));
    this.protocol = protocol;
    this.decoder = protocol.decoder();
    this.stability = new StabilityDetector({ bandGrams: context.device.scale.stableBandGrams, holdMs: context.device.scale.stableMs });
  }

  protected override onOpen(_connection: Connection): void {
    const poll = this.protocol.pollCommand;
    if (!poll) return;
    this.awaitingSince = undefined;
    this.silentReported = false;
    this.pollTimer = setInterval(() => this.poll(), this.context.device.scale.pollMs);
    this.poll();
  }

  protected override onLost(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.decoder.reset();
    this.stability.reset();
    this.awaitingSince = undefined;
    this.failPending(`${this.recorder.what()} went offline before answering`);
  }

  private poll(): void {
    const poll = this.protocol.pollCommand!;
    if (this.pending || !this.link.isOpen) return;
    const { replyTimeoutMs } = this.context.device.scale;
    if (this.awaitingSince !== undefined && Date.now() - this.awaitingSince > replyTimeoutMs) {
      if (!this.silentReported) {
        const settings = serialSettingsText(this.context.device);
        this.recorder.error(`no reply to "${poll.text}" within ${replyTimeoutMs} ms; check the cable${settings ? ` and the baud rate (configured ${settings})` : ' and that the scale speaks MT-SICS on this port'}`);
        this.silentReported = true;
      }
    }
    this.awaitingSince ??= Date.now();
    this.link.write(poll.bytes).catch(() => undefined);
  }

  protected onChunk(chunk: Buffer): void {
    this.handleFrames(this.decoder.push(chunk), (message) => this.apply(message));
  }

  private apply(message: ScaleMessage): void {
    this.awaitingSince = undefined;
    this.silentReported = false;
    switch (message.type) {
      case 'weight': {
        this.lastStatus = undefined;
        const stable = this.protocol.streaming ? this.stability.push(message.grams, Date.now()) && message.stable : message.stable;
        this.emit({ kind: 'weight', grams: message.grams, stable });
        return;
      }
      case 'status':
        // A streaming scale repeats its status seven times a second: report changes only.
        if (this.lastStatus !== message.reason) this.recorder.error(message.reason);
        this.lastStatus = message.reason;
        return;
      case 'reply': {
        const pending = this.pending;
        if (!pending || (message.command !== pending.kind && message.command !== 'any')) {
          // An error with no command of ours waiting answers the poll: e.g. "ES" from a scale
          // that does not know "SI". Say so once instead of showing nothing.
          const reason = `the scale refused "${this.protocol.pollCommand?.text ?? '?'}": ${message.reason}`;
          if (!message.ok && this.lastStatus !== reason) this.recorder.error(reason);
          if (!message.ok) this.lastStatus = reason;
          return;
        }
        this.pending = undefined;
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve();
        else {
          const reason = `${this.recorder.what()} refused ${pending.kind}: ${message.reason}`;
          this.recorder.commandFailed(reason);
          pending.reject(new CommandError(reason));
        }
      }
    }
  }

  async send(command: DeviceCommand): Promise<void> {
    if (command.kind !== 'zero' && command.kind !== 'tare') throw new CommandError(`${this.recorder.what()} is a scale; it takes zero and tare, not ${command.kind}`);
    const bytes = this.protocol.command(command.kind);
    if (!bytes) throw new CommandError(`${this.recorder.what()} speaks ${this.protocol.name}, which has no ${command.kind} command; use the key on the indicator`);
    if (!this.protocol.pollCommand) {
      // Streaming protocols give no answer to a command: sent is all we can know.
      await this.write(bytes, command.kind);
      return;
    }
    if (this.pending) throw new CommandError(`${this.recorder.what()} is still carrying out ${this.pending.kind}; try again in a moment`);
    const timeoutMs = this.context.device.scale.replyTimeoutMs * 4;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending?.timer !== timer) return;
        this.pending = undefined;
        const reason = `${this.recorder.what()}: no reply to "${command.kind === 'zero' ? 'Z' : 'T'}" within ${timeoutMs} ms; check the cable`;
        this.recorder.commandFailed(reason);
        reject(new CommandError(reason));
      }, timeoutMs);
      this.pending = { kind: command.kind, resolve, reject, timer };
    });
    try {
      await this.write(bytes, command.kind);
    } catch (err) {
      this.failPending((err as Error).message);
    }
    await done;
  }

  private failPending(reason: string): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.reject(new CommandError(reason));
  }
}
