/**
 * Errors of talking to the OMS. Every one says what happened, where, and what to do; `retryAfterMs`
 * carries the server's Retry-After so the backoff honours it.
 */

export class OmsRequestError extends Error {
  constructor(
    message: string,
    /** HTTP status, or undefined for a network failure. */
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'OmsRequestError';
  }
}

/** A reply that is not the API (a proxy's HTML error page, a captive portal): status and first bytes. */
export class NotTheOmsApiError extends OmsRequestError {
  constructor(where: string, status: number, contentType: string, body: string) {
    const first = body.slice(0, 120).replace(/\s+/g, ' ').trim();
    super(
      `${where}: the reply is not the OMS sync API (HTTP ${status}, content-type "${contentType || 'none'}", starts with ${JSON.stringify(first)}); ` +
        'a proxy or load balancer may be answering instead of the OMS: check cloud.url and the network path',
      status,
    );
    this.name = 'NotTheOmsApiError';
  }
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
