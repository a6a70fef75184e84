/**
 * The decoder's one error type. Every failure says where (1-based character position in the
 * input exactly as received, AIM identifier included) and why, so a floor screen or a log line
 * can point at the offending character.
 */
export class BarcodeError extends Error {
  override readonly name = 'BarcodeError';
  readonly position: number;
  readonly reason: string;
  readonly ai: string | null;

  constructor(position: number, reason: string, ai: string | null = null) {
    super(`position ${position}${ai === null ? '' : `, AI ${ai}`}: ${reason}`);
    this.position = position;
    this.reason = reason;
    this.ai = ai;
  }
}

/**
 * A failure found while checking a value, before it is known where the value sits in the input.
 * `offset` is 0-based within the value; the caller turns it into a BarcodeError with a position.
 */
export class ValueProblem {
  constructor(readonly offset: number, readonly reason: string) {}
}
