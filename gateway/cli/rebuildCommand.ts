import { EventLog } from '../log/eventLog.ts';
import { rebuildProjections } from '../log/rebuild.ts';
import { eventLogFileFor, eventLogOptions } from './configSource.ts';
import { parseOptions } from './parseOptions.ts';
import type { CliCommand } from './main.ts';

const usage = 'rebuild [--config FILE | --data DIR] [--apply] [--json]';

export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  summary: 'Replay the event log into fresh projections and report any difference from the live ones (--apply repairs them)',
  usage,
  async run(argv) {
    const { values } = parseOptions(
      argv,
      { ...eventLogOptions, apply: { type: 'boolean' }, json: { type: 'boolean' } },
      usage,
    );
    const file = eventLogFileFor(values);
    const log = EventLog.open({ file });
    try {
      const tty = process.stderr.isTTY;
      const report = rebuildProjections(log, {
        apply: values.apply,
        onProgress: (done, total) => {
          if (tty) process.stderr.write(`\rreplaying ${done}/${total} events (${Math.round((100 * done) / Math.max(total, 1))} %)`);
        },
      });
      if (tty) process.stderr.write('\n');
      if (values.json) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        console.log(`replayed ${report.events} events in ${report.ms.toFixed(0)} ms`);
        if (report.differences.length === 0) console.log('projections match the log: no differences');
        for (const d of report.differences.slice(0, 50)) {
          console.log(`${d.table} ${d.key}: live ${JSON.stringify(d.live)} != rebuilt ${JSON.stringify(d.rebuilt)}`);
        }
        if (report.differences.length > 50) console.log(`... and ${report.differences.length - 50} more (use --json for all)`);
        if (report.differences.length > 0) {
          console.log(report.applied ? `repaired ${report.differences.length} rows from the log` : 'run again with --apply (gateway stopped) to repair them from the log');
        }
      }
      return report.differences.length > 0 && !report.applied ? 1 : 0;
    } finally {
      log.close();
    }
  },
};
