import { EventLog } from '../log/eventLog.ts';
import type { LoggedEvent } from '../log/eventCatalogue.ts';
import { eventLogFileFor, eventLogOptions } from './configSource.ts';
import { parseOptions } from './parseOptions.ts';
import type { CliCommand } from './main.ts';

const usage =
  'log [--config FILE | --data DIR] [--type TYPE|PREFIX.] [--device ID] [--order ID] [--after SEQ] [--limit N] [--follow] [--json]';

export const logCommand: CliCommand = {
  name: 'log',
  summary: 'Show the newest events of the event log, filtered; --follow prints new ones as they are committed',
  usage,
  async run(argv) {
    const { values } = parseOptions(
      argv,
      {
        ...eventLogOptions,
        type: { type: 'string', short: 't' },
        device: { type: 'string', short: 'd' },
        order: { type: 'string', short: 'o' },
        after: { type: 'string' },
        limit: { type: 'string', short: 'n' },
        follow: { type: 'boolean', short: 'f' },
        json: { type: 'boolean' },
      },
      usage,
    );
    const file = eventLogFileFor(values);
    const limit = Number(values.limit ?? 20);
    if (!Number.isInteger(limit) || limit <= 0) throw new Error(`--limit expects a positive whole number, found "${values.limit}"`);
    const log = EventLog.open({ file, readonly: true });
    const filter = { type: values.type, device: values.device, orderId: values.order };
    const print = (e: LoggedEvent) => console.log(values.json ? JSON.stringify(e) : formatEvent(e));
    try {
      let last: number;
      if (values.after !== undefined) {
        const events = log.query({ ...filter, afterSeq: Number(values.after), limit });
        events.forEach(print);
        last = events.at(-1)?.seq ?? Number(values.after);
      } else {
        // Read the newest seq first and show history up to it: an event committed in between
        // is then printed by the follow loop instead of being skipped.
        const upTo = log.lastSeq();
        const events = log.query({ ...filter, limit, descending: true, beforeSeq: upTo + 1 }).reverse();
        events.forEach(print);
        last = upTo;
      }
      if (!values.follow) return 0;
      // Another process (the gateway) writes; WAL lets us read alongside it. Poll briefly.
      await new Promise<void>((stop) => {
        const timer = setInterval(() => {
          // Same order as above: fix the end first, then print everything up to it.
          const newest = log.lastSeq();
          let events: LoggedEvent[];
          do {
            events = log.query({ ...filter, afterSeq: last, beforeSeq: newest + 1, limit: 1000 });
            events.forEach(print);
            last = events.at(-1)?.seq ?? last;
          } while (events.length === 1000);
          last = Math.max(last, newest);
        }, 200);
        const end = () => {
          clearInterval(timer);
          stop();
        };
        process.once('SIGINT', end);
        process.once('SIGTERM', end);
      });
      return 0;
    } finally {
      log.close();
    }
  },
};

export function formatEvent(e: LoggedEvent): string {
  const source = Object.entries(e.source)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${String(e.seq).padStart(7)}  ${e.at}  ${e.type.padEnd(20)} ${source ? `[${source}] ` : ''}${JSON.stringify(e.data)}`;
}
