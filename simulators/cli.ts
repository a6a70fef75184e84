/**
 * Runs one simulated device on its real transport, driven from the keyboard, so a person can
 * try the gateway without hardware. Each prints where the gateway should connect, then reads
 * stdin: a line is a barcode (scanners) or a weight in grams (scales; "~412" = still moving).
 *
 *   npm run simulate -- serial-scanner --link /tmp/dsgw-scanner
 *   npm run simulate -- serial-scale --protocol toledo --link /tmp/dsgw-scale
 *   npm run simulate -- tcp-scale --protocol mt-sics --port 4001
 *   npm run simulate -- mqtt-scanner --url mqtt://127.0.0.1:1884 --id scanner-pick-1 --secret demo-scanner-pick-1
 *   npm run simulate -- mqtt-scale --url mqtt://127.0.0.1:1884 --id scale-pack-1 --secret demo-scale-pack-1
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MqttDeviceSimulator } from './mqttDevice.ts';
import type { SimulatedScaleProtocol } from './scaleBehaviour.ts';
import { SerialScaleSimulator, SerialScannerSimulator } from './serialDevice.ts';
import { TcpScaleSimulator } from './tcpScale.ts';

const usage = `usage: simulators/cli.ts <serial-scanner|serial-scale|tcp-scale|mqtt-scanner|mqtt-scale> [options]
  --link PATH       pty link the gateway opens (serial; default /tmp/dsgw-<device>)
  --protocol NAME   mt-sics | toledo | cas | regex (scales; default mt-sics)
  --port N          TCP port (tcp-scale; default 4001)
  --url URL --id DEVICE --secret SECRET   MQTT broker and the device's login (mqtt-*)
  --prefix TEXT --suffix TEXT             what the serial scanner wraps each barcode in`;

function parseWeight(line: string): { grams: number; stable: boolean } | undefined {
  const m = /^(~)?\s*(-?[0-9]+(?:\.[0-9]+)?)$/.exec(line.trim());
  return m ? { grams: Number(m[2]), stable: !m[1] } : undefined;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      link: { type: 'string' },
      protocol: { type: 'string', default: 'mt-sics' },
      port: { type: 'string', default: '4001' },
      url: { type: 'string' },
      id: { type: 'string' },
      secret: { type: 'string' },
      prefix: { type: 'string', default: '' },
      suffix: { type: 'string', default: '' },
    },
  });
  const kind = positionals[0];
  const protocol = values.protocol as SimulatedScaleProtocol;
  const lines = createInterface({ input: process.stdin });
  let onLine: (line: string) => Promise<void>;
  let stop: () => Promise<void>;

  switch (kind) {
    case 'serial-scanner': {
      const sim = new SerialScannerSimulator({ link: values.link ?? '/tmp/dsgw-scanner', prefix: values.prefix, suffix: values.suffix });
      await sim.start();
      console.log(`serial scanner ready: the gateway opens ${sim.gatewayPath}; type a barcode and Enter to scan`);
      onLine = (line) => sim.scan(line);
      stop = () => sim.stop();
      break;
    }
    case 'serial-scale': {
      const sim = new SerialScaleSimulator({ link: values.link ?? '/tmp/dsgw-scale', protocol });
      await sim.start();
      console.log(`serial ${protocol} scale ready: the gateway opens ${sim.gatewayPath}; type a weight in grams ("~412" while moving)`);
      onLine = async (line) => {
        const w = parseWeight(line);
        if (w) sim.setWeight(w.grams, w.stable);
        else console.error(`not a weight: ${line}`);
      };
      stop = () => sim.stop();
      break;
    }
    case 'tcp-scale': {
      const sim = new TcpScaleSimulator({ protocol, port: Number(values.port), host: '127.0.0.1' });
      const port = await sim.open();
      console.log(`TCP ${protocol} scale ready on 127.0.0.1:${port}; type a weight in grams ("~412" while moving)`);
      onLine = async (line) => {
        const w = parseWeight(line);
        if (w) sim.setWeight(w.grams, w.stable);
        else console.error(`not a weight: ${line}`);
      };
      stop = () => sim.close();
      break;
    }
    case 'mqtt-scanner':
    case 'mqtt-scale': {
      if (!values.url || !values.id || !values.secret) throw new Error(`${kind} needs --url, --id and --secret\n${usage}`);
      const sim = new MqttDeviceSimulator({ url: values.url, deviceId: values.id, secret: values.secret });
      await sim.connect();
      console.log(`MQTT ${kind === 'mqtt-scanner' ? 'scanner' : 'scale'} "${values.id}" connected to ${values.url}; type ${kind === 'mqtt-scanner' ? 'a barcode' : 'a weight in grams'}`);
      onLine = async (line) => {
        if (kind === 'mqtt-scanner') {
          await sim.scan(line);
          return;
        }
        const w = parseWeight(line);
        if (w) await sim.weight(w.grams, w.stable);
        else console.error(`not a weight: ${line}`);
      };
      stop = () => sim.disconnect();
      break;
    }
    default:
      console.error(usage);
      return 2;
  }

  lines.on('line', (line) => {
    if (line.trim() === '') return;
    onLine(line).catch((err: Error) => console.error(err.message));
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    lines.once('close', resolve);
  });
  await stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  },
);
