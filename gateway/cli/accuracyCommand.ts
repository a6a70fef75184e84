/**
 * `darkstore-gateway accuracy`: floor accuracy per station (optionally per hour) from the event
 * log, readable while the gateway runs.
 *
 * @example
 *   npx darkstore-gateway accuracy --data ./data --since 2026-12-03T00:00:00Z --by-hour
 */
import { EventLog } from '../log/eventLog.ts';
import { accuracyFigures, formatAccuracy } from '../workflows/accuracy.ts';
import { eventLogFileFor, eventLogOptions } from './configSource.ts';
import type { CliCommand } from './main.ts';
import { parseOptions } from './parseOptions.ts';

const usage = 'accuracy [--config FILE | --data DIR] [--since ISO-TIME] [--station ID] [--by-hour] [--json]';

export const accuracyCommand: CliCommand = {
  name: 'accuracy',
  summary: 'Floor accuracy per station: verified actions, failures by reason, short picks, overrides, weights out of tolerance',
  usage,
  async run(argv) {
    const { values } = parseOptions(
      argv,
      {
        ...eventLogOptions,
        since: { type: 'string' },
        station: { type: 'string' },
        'by-hour': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      usage,
    );
    if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) throw new Error(`--since expects a time like 2026-12-03T08:00:00Z, found "${values.since}"`);
    const since = values.since === undefined ? undefined : new Date(values.since).toISOString();
    const log = EventLog.open({ file: eventLogFileFor(values), readonly: true });
    try {
      const rows = accuracyFigures(log.eventsSince(since), { byHour: values['by-hour'] ?? false }).filter((r) => !values.station || r.station === values.station);
      console.log(values.json ? JSON.stringify(rows, null, 2) : formatAccuracy(rows));
      return 0;
    } finally {
      log.close();
    }
  },
};
