/**
 * Runs the simulated cloud OMS from a shell, beside a gateway:
 *   npx tsx simulators/cloud-oms/main.ts --port 8090 [--file data/oms.db] [--token demo-store=secret]
 *     [--mqtt mqtt://127.0.0.1:1883 --topic-prefix dsgw/oms/v1] [--orders-every 10000] [--reject-unknown-skus]
 * Faults at run time: curl -XPOST localhost:8090/_sim/faults -d '{"rates":{"error5xx":0.2}}'
 */
import { parseArgs } from 'node:util';
import { startCloudOms } from './cloudOms.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    host: { type: 'string', default: '127.0.0.1' },
    file: { type: 'string' },
    token: { type: 'string', multiple: true },
    mqtt: { type: 'string' },
    'topic-prefix': { type: 'string', default: 'dsgw/oms/v1' },
    'orders-every': { type: 'string' },
    'reject-unknown-skus': { type: 'boolean' },
  },
});
const tokens = Object.fromEntries((values.token ?? []).map((t) => t.split('=') as [string, string]));
const oms = await startCloudOms({
  port: Number(values.port),
  host: values.host,
  file: values.file,
  tokens,
  mqtt: values.mqtt ? { url: values.mqtt, topicPrefix: values['topic-prefix']! } : undefined,
  orderIntervalMs: values['orders-every'] ? Number(values['orders-every']) : undefined,
  rejectUnknownSkus: values['reject-unknown-skus'],
});
console.log(`cloud OMS simulator on ${oms.url} (${oms.catalog.length} SKUs${values.mqtt ? `, MQTT via ${values.mqtt}` : ''}); Ctrl-C to stop`);
const stop = async () => {
  await oms.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
