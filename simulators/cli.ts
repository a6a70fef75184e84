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
 *   npm run simulate -- tcp-printer --port 9100          # lines: ready | silent | paper-out | off | drop-next-job | show
 *   npm run simulate -- modbus-lights --units 1,2,3 --port 5020   # or --link /tmp/dsgw-lights (RTU); lines: "press 2 confirm" | show
 *   npm run simulate -- mqtt-light --url mqtt://127.0.0.1:1884 --id light-a --secret demo-light-a   # lines: "press 3 confirm" | show
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { MqttDeviceSimulator } from './mqttDevice.ts';
import type { SimulatedScaleProtocol } from './scaleBehaviour.ts';
import { SerialScaleSimulator, SerialScannerSimulator } from './serialDevice.ts';
import { TcpScaleSimulator } from './tcpScale.ts';
import { ModbusLightsSimulator } from './modbusLights.ts';
import { MqttLightSimulator } from './mqttLight.ts';
import { TcpPrinterSimulator, type PrinterMode } from './tcpPrinter.ts';
import { lightButtons, type LightButton } from '../devices/lights/lightModel.ts';

const usage = `usage: simulators/cli.ts <serial-scanner|serial-scale|tcp-scale|mqtt-scanner|mqtt-scale|tcp-printer|modbus-lights|mqtt-light> [options]
  --units 1,2,3     Modbus unit ids of the light modules (modbus-lights)
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
      units: { type: 'string', default: '1,2,3,4' },
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
    case 'tcp-printer': {
      const sim = new TcpPrinterSimulator({ port: Number(values.port === '4001' ? 9100 : values.port) });
      await sim.start();
      console.log(`TCP printer (ZPL, ESC/POS, ~HS) on 127.0.0.1:${sim.port}; type ready | silent | paper-out | off | drop-next-job to change its state, show to list what it printed`);
      let shown = 0;
      const timer = setInterval(() => {
        for (const label of sim.printed.slice(shown)) console.log(`printed (${label.language}): ${label.fields.join(' | ')}${label.barcodes.length ? `  barcodes: ${label.barcodes.join(', ')}` : ''}`);
        shown = sim.printed.length;
      }, 200);
      onLine = async (line) => {
        const word = line.trim();
        if (word === 'show') console.log(JSON.stringify(sim.printed.map(({ raw: _raw, ...l }) => l), null, 2));
        else if (['ready', 'silent', 'paper-out', 'off', 'drop-next-job'].includes(word)) await sim.setMode(word as PrinterMode);
        else console.error(`unknown: ${word}`);
      };
      stop = async () => {
        clearInterval(timer);
        await sim.stop();
      };
      break;
    }
    case 'modbus-lights': {
      const units = values.units.split(',').map(Number);
      const sim = new ModbusLightsSimulator({ units });
      if (values.link) {
        await sim.slave.attachPty(values.link);
        console.log(`PICK-IQ light modules ${units.join(', ')} on Modbus RTU: the gateway opens ${values.link} (19200 baud)`);
      } else {
        await sim.slave.listenTcp(Number(values.port === '4001' ? 5020 : values.port));
        console.log(`PICK-IQ light modules ${units.join(', ')} on Modbus TCP 127.0.0.1:${sim.slave.port}`);
      }
      console.log('type "press UNIT BUTTON" (confirm, short, plus, minus) or show');
      onLine = async (line) => {
        const [verb, unit, button] = line.trim().split(/\s+/);
        if (verb === 'show') for (const u of units) console.log(`unit ${u}: ${JSON.stringify(sim.shown(u))}`);
        else if (verb === 'press' && lightButtons.includes(button as LightButton)) sim.press(Number(unit), button as LightButton);
        else console.error(`unknown: ${line}`);
      };
      stop = () => sim.slave.stop();
      break;
    }
    case 'mqtt-light': {
      if (!values.url || !values.id || !values.secret) throw new Error(`${kind} needs --url, --id and --secret\n${usage}`);
      const sim = new MqttLightSimulator({ url: values.url, deviceId: values.id, secret: values.secret });
      await sim.connect();
      console.log(`MQTT light "${values.id}" connected to ${values.url}; type "press ADDRESS BUTTON" or show ADDRESS`);
      onLine = async (line) => {
        const [verb, address, button] = line.trim().split(/\s+/);
        const at = address === undefined ? undefined : /^\d+$/.test(address) ? Number(address) : address;
        if (verb === 'show') console.log(JSON.stringify(sim.shown(at ?? '')));
        else if (verb === 'press' && lightButtons.includes(button as LightButton)) await sim.press(button as LightButton, at);
        else console.error(`unknown: ${line}`);
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
