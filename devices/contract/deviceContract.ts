/**
 * The device MQTT contract v1 (docs/device-mqtt.md): topics and payload types in one place.
 * A third-party device integrates by implementing this alone.
 *
 * @example
 *   const topics = contractTopics('dsgw/v1');
 *   topics.events('scanner-1'); // 'dsgw/v1/devices/scanner-1/events'
 *   const parsed = parseDeviceEventPayload(Buffer.from('{"kind":"scan","data":"4006381333931"}'));
 */
import { z } from 'zod';

export const contractTopics = (root: string) => ({
  events: (deviceId: string) => `${root}/devices/${deviceId}/events`,
  commands: (deviceId: string) => `${root}/devices/${deviceId}/commands`,
  status: (deviceId: string) => `${root}/devices/${deviceId}/status`,
  errors: (deviceId: string) => `${root}/devices/${deviceId}/errors`,
  stationState: (stationId: string) => `${root}/stations/${stationId}/state`,
  gatewayStatus: (storeId: string) => `${root}/gateway/${storeId}/status`,
  allEvents: `${root}/devices/+/events`,
  allStatus: `${root}/devices/+/status`,
});
export type ContractTopics = ReturnType<typeof contractTopics>;

/** Splits `{root}/devices/{id}/{leaf}`; undefined when the topic is not a device topic. */
export function parseDeviceTopic(root: string, topic: string): { deviceId: string; leaf: string } | undefined {
  const prefix = `${root}/devices/`;
  if (!topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length).split('/');
  if (rest.length !== 2 || !rest[0] || !rest[1]) return undefined;
  return { deviceId: rest[0], leaf: rest[1] };
}

const messageId = z.string().min(1).max(128).optional().describe('lets the gateway drop a redelivered duplicate');

export const deviceEventPayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scan'), data: z.string().min(1).max(4096), id: messageId }).strict(),
  z.object({ kind: z.literal('weight'), grams: z.number().finite(), stable: z.boolean(), id: messageId }).strict(),
  z
    .object({
      kind: z.literal('button'),
      button: z.enum(['confirm', 'short', 'plus', 'minus']),
      address: z.union([z.number(), z.string()]).optional().describe('which light, for a device that drives several'),
      id: messageId,
    })
    .strict(),
  z.object({ kind: z.literal('sensor'), state: z.enum(['blocked', 'clear']), id: messageId }).strict(),
]);
export type DeviceEventPayload = z.output<typeof deviceEventPayloadSchema>;

export const deviceCommandPayloadSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('light'),
      color: z.enum(['off', 'red', 'green', 'blue', 'yellow', 'white', 'cyan', 'magenta']),
      blink: z.boolean().optional(),
      text: z.string().max(8).optional(),
      beep: z.boolean().optional(),
      address: z.union([z.number(), z.string()]).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('feedback'), result: z.enum(['ok', 'error']), message: z.string().optional() }).strict(),
  z
    .object({
      kind: z.literal('print'),
      format: z.literal('zpl'),
      document: z.string().min(1).max(64 * 1024).describe('the label, e.g. ZPL II text'),
      copies: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('zero') }).strict().describe('scales: set zero'),
  z.object({ kind: z.literal('tare') }).strict().describe('scales: tare the current load'),
]);
export type DeviceCommandPayload = z.output<typeof deviceCommandPayloadSchema>;

/** What the gateway answers on the errors topic when a payload cannot be used. */
export interface DeviceErrorPayload {
  error: 'invalid-json' | 'invalid-payload' | 'too-large';
  message: string;
  topic: string;
  at: string;
}

export type ParsedPayload = { ok: true; event: DeviceEventPayload } | { ok: false; error: DeviceErrorPayload['error']; message: string };

export const maxPayloadBytes = 16 * 1024;

export function parseDeviceEventPayload(payload: Buffer): ParsedPayload {
  if (payload.length > maxPayloadBytes) {
    return { ok: false, error: 'too-large', message: `payload is ${payload.length} bytes, the limit is ${maxPayloadBytes}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return {
      ok: false,
      error: 'invalid-json',
      message: `payload is not JSON (${(err as Error).message}); send e.g. {"kind":"scan","data":"4006381333931"}`,
    };
  }
  const parsed = deviceEventPayloadSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: 'invalid-payload', message: `${z.prettifyError(parsed.error).replace(/\n/g, '; ')}; see docs/device-mqtt.md` };
  }
  return { ok: true, event: parsed.data };
}
