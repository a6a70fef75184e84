/**
 * What every scale protocol decodes to, and the interface a protocol implements: a decoder for
 * the bytes, the bytes that ask for a weight (for polled scales) and the bytes of the zero and
 * tare commands.
 *
 * @example
 *   const protocol = mtSicsProtocol();
 *   link.write(protocol.pollCommand!);          // "SI\r\n"
 *   protocol.decoder().push(Buffer.from('S S     412.50 g\r\n')); // [{ ok: true, value: { type: 'weight', grams: 412.5, stable: true } }]
 */
import type { FrameDecoder } from '../frames.ts';

export type ScaleMessage =
  | { type: 'weight'; grams: number; stable: boolean; net?: boolean; tareGrams?: number }
  /** The scale answered a command: done, or refused with its reason. */
  | { type: 'reply'; command: ScaleCommandName; ok: boolean; reason?: string; grams?: number }
  /** The scale says it cannot weigh now (overload, underload, busy); not bad input. */
  | { type: 'status'; reason: string };

export type ScaleCommandName = 'weigh' | 'zero' | 'tare' | 'tare-value' | 'any';

export interface ScaleProtocol {
  readonly name: string;
  /** true when the scale sends weights by itself; stability is then also checked by us. */
  readonly streaming: boolean;
  decoder(): FrameDecoder<ScaleMessage>;
  /** Bytes that ask a polled scale for the current weight, with the command's name for errors. */
  readonly pollCommand?: { bytes: Buffer; text: string };
  /** Bytes of the zero or tare command; undefined when the protocol cannot carry it. */
  command(kind: 'zero' | 'tare'): Buffer | undefined;
}
