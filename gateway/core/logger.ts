/**
 * pino JSON logs with stable fields (`component`, `deviceId`, `err`), secrets redacted, pretty
 * when a person watches a terminal. The durable audit trail is the event log, not this.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export const redactedPaths = [
  'secret', 'password', 'token', 'secretHash', 'authorization',
  '*.secret', '*.password', '*.token', '*.secretHash', '*.authorization',
  'config.devices[*].secret', 'config.devices[*].secretHash', 'config.cloud.token', 'config.broker.password',
  'req.headers.authorization', 'headers.authorization',
];

export interface LoggerOptions {
  level?: string;
  /** Pretty output; defaults to whether stdout is a terminal. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { app: 'darkstore-gateway' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(base, options.destination);
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  if (usePretty) return pino(base, pretty({ colorize: true, sync: true, ignore: 'pid,hostname,app' }));
  return pino(base, pino.destination({ dest: 1, sync: false }));
}
