/**
 * The gateway's configuration, as one zod schema. Every object is strict: a typo in a key is an
 * error, never a silently ignored setting. `describe()` texts end up in config/schema.json for
 * editor completion and in docs/configuration.md.
 */
import { z } from 'zod';
import { barcodeOptionsSchema } from './barcodeSchema.ts';

const id = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, `a ${what} id: letters, digits, "_", "-" or "." (at most 64, no spaces or "/")`);

/** Whether this Node (its ICU data) knows `zone` as a time zone. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const deviceClasses = ['scanner', 'scale', 'light', 'printer', 'sensor', 'button'] as const;
export const stationKinds = ['pick', 'pack', 'receiving', 'dispatch'] as const;

const port = z.number().int().min(0).max(65535);
const hexId = z.union([z.number().int().min(0).max(0xffff), z.string().regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'a USB id like "0x0c2e"')]);

const serialTransport = z
  .object({
    type: z.literal('serial'),
    path: z.string().optional().describe('Device path, e.g. /dev/ttyUSB0; or use match'),
    match: z
      .object({ vendorId: hexId.optional(), productId: hexId.optional(), serialNumber: z.string().optional() })
      .strict()
      .optional()
      .describe('Find the port by USB ids, so a re-enumerated adapter is found again'),
    baudRate: z.number().int().positive().default(9600),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
    delimiter: z.string().default('\r\n').describe('Line delimiter for line-oriented devices'),
  })
  .strict()
  .refine((t) => t.path !== undefined || t.match !== undefined, { message: 'a serial transport needs a path or a match (vendorId/productId/serialNumber)' });

const hidTransport = z
  .object({
    type: z.literal('hid'),
    vendorId: hexId.optional(),
    productId: hexId.optional(),
    serialNumber: z.string().optional(),
    path: z.string().optional(),
  })
  .strict();

const mqttTransport = z.object({ type: z.literal('mqtt') }).strict().describe('The device speaks the device MQTT contract (docs/device-mqtt.md)');

const tcpTransport = z
  .object({ type: z.literal('tcp'), host: z.string().min(1), port, delimiter: z.string().default('\r\n').describe('Line delimiter for line-oriented devices') })
  .strict();

const zigbeeTransport = z
  .object({ type: z.literal('zigbee'), ieee: z.string().regex(/^0x[0-9a-fA-F]{16}$/, 'an IEEE address like "0x00124b0012345678"') })
  .strict();

export const transportSchema = z.discriminatedUnion('type', [serialTransport, hidTransport, mqttTransport, tcpTransport, zigbeeTransport]);

/** Scanner settings (docs/devices.md). Strings may carry control characters as "\u0007". */
const scannerSettings = z
  .object({
    prefix: z.string().default('').describe('Text the scanner sends before each barcode, stripped (e.g. "\u0002")'),
    suffix: z.string().default('').describe('Text the scanner sends after each barcode (before the delimiter), stripped'),
    goodRead: z.string().optional().describe('Bytes that make a serial/TCP scanner beep "good read", e.g. "\u0007"'),
    badRead: z.string().optional().describe('Bytes that make a serial/TCP scanner signal "bad read"'),
    keyboardLayout: z.enum(['us', 'de']).default('us').describe('Keyboard layout a HID keyboard-wedge scanner is set to'),
  })
  .strict();

/** Scale settings (docs/devices.md). */
const scaleSettings = z
  .object({
    pollMs: z.number().int().min(50).default(200).describe('MT-SICS: how often to ask "SI" for the weight'),
    replyTimeoutMs: z.number().int().min(50).default(500).describe('MT-SICS: how long a reply may take before the scale counts as not answering'),
    stableBandGrams: z.number().nonnegative().default(2).describe('Streaming scales: readings within this band count as one weight'),
    stableMs: z.number().int().min(0).default(500).describe('Streaming scales: how long readings must stay within the band to be stable'),
    checksum: z.boolean().default(true).describe('Toledo continuous: the frame ends with a checksum byte'),
    pattern: z.string().optional().describe('protocol "regex": a regular expression with a named group "weight", optional "unit" and "unstable"'),
    unit: z.string().default('g').describe('protocol "regex": the unit when the pattern has no "unit" group'),
  })
  .strict();

/** Pick-to-light settings (docs/devices.md): Modbus unit ids, polling, the register map. */
const registerNumber = z.number().int().min(0).max(65535);
const lightSettings = z
  .object({
    profile: z.enum(['pick-iq']).default('pick-iq').describe('Built-in register map; "pick-iq": colour 0, blink 1, beep 2, text 3-6, buttons 16'),
    addresses: z.array(z.number().int().min(1).max(247)).default([]).describe('Modbus: unit ids (1-247) of the light modules on this line or gateway'),
    pollMs: z.number().int().min(20).default(100).describe('Modbus: how often each module is asked for button presses'),
    timeoutMs: z.number().int().min(20).default(300).describe('Modbus: how long a module may take to answer'),
    registers: z
      .object({
        color: registerNumber,
        blink: registerNumber,
        beep: registerNumber,
        text: registerNumber,
        textRegisters: z.number().int().min(0).max(16),
        buttons: registerNumber,
        colorCodes: z.array(registerNumber).length(8).describe('codes for off, red, green, blue, yellow, white, cyan, magenta'),
      })
      .partial()
      .strict()
      .optional()
      .describe('Overrides of the profile register map for a module with another layout'),
  })
  .strict();

/** Label printer settings (docs/devices.md). */
const printerSettings = z
  .object({
    language: z.enum(['zpl', 'escpos']).default('zpl').describe('zpl: Zebra-style label printer over raw TCP/serial; escpos: receipt printer through node-thermal-printer'),
    escposType: z.enum(['epson', 'star']).default('epson').describe('escpos: the printer family node-thermal-printer drives'),
    statusTimeoutMs: z.number().int().min(50).default(1000).describe('zpl: a ~HS reply missing after this long is a fault (head open, media out)'),
    statusPollMs: z.number().int().min(100).default(5000).describe('zpl: how often an idle printer is asked ~HS'),
    retryMs: z.number().int().min(50).default(2000).describe('How long to wait before retrying a job the printer did not take'),
    templates: z.string().default('templates/labels').describe('Folder of label templates (bag, bin, test) a store admin may edit'),
  })
  .strict();

/** Conveyor photo-eye settings (docs/devices.md). */
const sensorSettings = z
  .object({
    debounceMs: z.number().int().min(0).default(30).describe('A state must hold this long to count (filters flapping)'),
    jamMs: z.number().int().min(100).default(5000).describe('Blocked longer than this is a jam'),
    pollMs: z.number().int().min(10).default(50).describe('Modbus: how often the input register is read'),
    timeoutMs: z.number().int().min(20).default(300).describe('Modbus: how long the unit may take to answer'),
    unit: z.number().int().min(1).max(247).default(1).describe('Modbus: unit id of the input module'),
    register: registerNumber.default(0).describe('Modbus: input register of the photo-eye (non-zero = blocked)'),
    blockedLine: z.string().default('B').describe('Serial/TCP line protocol: the line that means blocked'),
    clearLine: z.string().default('C').describe('Serial/TCP line protocol: the line that means clear'),
  })
  .strict();

export const deviceSchema = z
  .object({
    id: id('device'),
    name: z.string().optional(),
    class: z.enum(deviceClasses),
    transport: transportSchema,
    protocol: z.string().optional().describe('Wire protocol for the class, e.g. "mt-sics" for a scale; see docs/devices.md'),
    secret: z.string().min(8).optional().describe('MQTT password of the device (use ${ENV_VAR}); stored only hashed in memory'),
    secretHash: z
      .string()
      .regex(/^scrypt\$[0-9a-f]+\$[0-9a-f]+$/, 'a hash printed by "darkstore-gateway hash-secret"')
      .optional()
      .describe('scrypt hash of the secret, from "darkstore-gateway hash-secret", so the file holds no password'),
    enabled: z.boolean().default(true),
    barcodes: barcodeOptionsSchema.partial().optional().describe('Per-scanner overrides of the store barcodes settings, e.g. fnc1Substitutes'),
    scanner: scannerSettings.prefault({}).describe('Scanner settings: prefix/suffix, feedback bytes, keyboard layout'),
    scale: scaleSettings.prefault({}).describe('Scale settings: polling, stability band, Toledo checksum, regex pattern'),
    light: lightSettings.prefault({}).describe('Pick-to-light settings: Modbus unit ids, polling, register map'),
    printer: printerSettings.prefault({}).describe('Label printer settings: language, ~HS status, templates folder'),
    sensor: sensorSettings.prefault({}).describe('Conveyor photo-eye settings: debounce, jam time, Modbus register, line protocol'),
  })
  .strict();

const lightTarget = z.object({ device: z.string(), address: z.union([z.number().int().min(0), z.string()]).default(0) }).strict();

/** Pick: batch picking of several orders into a put wall of totes (docs/workflows.md). */
export const batchSchema = z
  .object({
    maxOrders: z.number().int().min(1).max(64).describe('How many waiting orders a free station takes in one batch; at most the number of put wall slots'),
    groupBy: z
      .enum(['urgency', 'bins'])
      .default('urgency')
      .describe('Which orders go together: urgency (the most urgent) or bins (the most urgent, then those sharing the most bins with it, so the walk has fewer stops)'),
    lookAhead: z.number().int().min(1).max(1000).optional().describe('groupBy bins: how many of the most urgent waiting orders a batch is chosen among; default 3 x maxOrders'),
    requireToteScan: z
      .boolean()
      .default(true)
      .describe('Scan a tote label into each slot before picking; order.picked then carries the tote. false: the slot number is the only mark, pack by order id'),
    putWall: z
      .array(
        z
          .object({
            slot: z.number().int().min(1).max(64).describe('Slot number the picker reads on the wall, 1..N'),
            light: lightTarget.describe('The slot light (put-to-light): device and address; its confirm button confirms a put'),
          })
          .strict(),
      )
      .min(1)
      .describe('The tote slots of the put wall, each with its light'),
  })
  .strict();

export const stationSchema = z
  .object({
    id: id('station'),
    kind: z.enum(stationKinds),
    name: z.string().optional(),
    zone: z.string().optional(),
    devices: z.array(z.string()).default([]).describe('Ids of the devices at this station'),
    requireBinScan: z.boolean().default(false),
    packagingGrams: z.number().nonnegative().optional().describe('Pack: weight of the empty bag or box; overrides workflows.packagingGrams'),
    weightTolerance: z
      .object({
        grams: z.number().nonnegative().optional().describe('Absolute bound, e.g. 50'),
        percent: z.number().nonnegative().max(100).optional().describe('Bound as a percentage of the expected weight, e.g. 3'),
      })
      .strict()
      .optional()
      .describe('Pack: checkweigh tolerance; the larger of the two bounds applies; overrides workflows.weightTolerance'),
    trustPick: z.boolean().default(false).describe('Pack: skip scanning each unit into the bag and go straight to the scale (an order in several bags: CMD-NEXTBAG per extra bag, weighed together)'),
    dockBin: z.string().optional().describe('Receiving: the bin received stock is booked into before putaway (default "DOCK")'),
    batch: batchSchema.optional().describe('Pick: batch picking of up to maxOrders orders into a put wall of totes with put-to-light; absent: one order at a time'),
  })
  .strict();

export const workflowsSchema = z
  .object({
    packagingGrams: z.number().nonnegative().default(0).describe('Default weight of an empty bag'),
    weightTolerance: z
      .object({ grams: z.number().nonnegative().default(50), percent: z.number().nonnegative().max(100).default(3) })
      .strict()
      .prefault({})
      .describe('Default checkweigh tolerance: the larger of the absolute and the percentage bound'),
    supervisorBadges: z.array(z.string().min(1)).default([]).describe('Badge ids allowed to override a failed checkweigh or accept a case that is not on the ASN'),
    printer: z.string().optional().describe('Default label printer device of pack stations without their own'),
    cycleCount: z
      .object({
        every: z
          .string()
          .regex(/^[1-9]\d*(m|h|d)$/, 'a period like "30m", "24h" or "7d"')
          .describe('How often a cycle count runs, e.g. "24h"; the last run is remembered across restarts'),
        binsPerRun: z.number().int().min(1).describe('How many bins each run schedules, those counted longest ago first'),
        at: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a store-local time of day like "05:30"')
          .optional()
          .describe('Store-local time of day (store.timezone) the run is due, e.g. "05:30" before opening; "every" must then be whole days'),
      })
      .strict()
      .refine((c) => !c.at || c.every.endsWith('d') || (c.every.endsWith('h') && Number.parseInt(c.every, 10) % 24 === 0), { message: 'with "at", "every" must be whole days, like "1d" or "7d"', path: ['every'] })
      .optional()
      .describe('Scheduled cycle counts: count tasks for the bins counted longest ago (docs/workflows.md)'),
  })
  .strict();

export const binSchema = z
  .object({
    id: id('bin'),
    zone: z.string().min(1),
    pickFace: z
      .object({
        min: z.number().int().min(0),
        max: z.number().int().positive(),
        sku: z
          .string()
          .min(1)
          .optional()
          .describe('The SKU this face is for (fixed slotting): putaway fills it and replenishment refills it even when it is empty or never held stock; without it, an empty face keeps the SKU it held last'),
      })
      .strict()
      .refine((p) => p.min <= p.max, { message: 'pickFace.min must not exceed pickFace.max' })
      .optional(),
    light: lightTarget.optional(),
  })
  .strict();

export const apiRoles = ['viewer', 'operator', 'admin'] as const;

export const apiTokenSchema = z
  .object({
    name: z.string().min(1).describe('who holds it: shown in the audit log as the actor'),
    role: z.enum(apiRoles).describe('viewer: read; operator: also test actions and counts; admin: also change devices and config'),
    token: z.string().min(16).optional().describe('the token itself (use ${ENV_VAR}); or tokenHash'),
    tokenHash: z
      .string()
      .regex(/^sha256\$[0-9a-f]{64}$/, 'a hash printed by "darkstore-gateway hash-token"')
      .optional(),
  })
  .strict()
  .refine((t) => t.token !== undefined || t.tokenHash !== undefined, { message: 'an API token needs token or tokenHash' });

const embeddedBroker = z
  .object({
    mode: z.literal('embedded'),
    host: z.string().default('0.0.0.0'),
    port: port.default(1883),
    tls: z
      .object({ port: port.default(8883), cert: z.string(), key: z.string(), ca: z.string().optional() })
      .strict()
      .optional()
      .describe('Also listen with TLS (files are PEM paths)'),
    topicRoot: z.string().default('dsgw/v1'),
  })
  .strict();

const externalBroker = z
  .object({
    mode: z.literal('external'),
    url: z.string().regex(/^(mqtts?|wss?|tcp|tls):\/\//, 'a URL like mqtt://broker:1883'),
    username: z.string().optional(),
    password: z.string().optional(),
    clientId: z.string().optional(),
    ca: z.string().optional().describe('PEM file of a custom CA for mqtts://'),
    topicRoot: z.string().default('dsgw/v1').describe('Topic prefix of the device contract; change only to share a broker between stores'),
  })
  .strict();

export const brokerSchema = z.discriminatedUnion('mode', [embeddedBroker, externalBroker]);

export const cloudSchema = z
  .object({
    enabled: z.boolean().default(true),
    url: z.string().regex(/^(https?|mqtts?):\/\//, 'a URL like https://oms.example.com'),
    token: z.string().optional().describe('Bearer token of this store (use ${ENV_VAR})'),
    transport: z.enum(['http', 'mqtt']).default('http'),
    caFile: z.string().optional(),
    intervals: z
      .object({
        pushMs: z.number().int().positive().default(1000),
        pullMs: z.number().int().positive().default(5000),
        snapshotMs: z.number().int().positive().default(3_600_000),
      })
      .strict()
      .prefault({}),
    batchSize: z.number().int().min(1).max(10_000).default(200),
    batchMaxAgeMs: z.number().int().min(0).default(250).describe('A push batch smaller than batchSize waits at most this long for more events'),
    feedPageSize: z.number().int().min(1).max(10_000).default(200).describe('Feed items asked for per pull'),
    requestTimeoutMs: z.number().int().positive().default(30_000).describe('A request the OMS does not answer within this is retried'),
    backoff: z
      .object({ baseMs: z.number().int().positive().default(500), maxMs: z.number().int().positive().default(60_000) })
      .strict()
      .prefault({})
      .describe('Capped exponential backoff with jitter between failed attempts; a Retry-After from the OMS wins'),
    backlogWarnEvents: z.number().int().positive().default(1_000_000).describe('Log a warning when this many events wait for the OMS (the backlog itself is bounded only by disk)'),
    degradedAfterMs: z.number().int().min(0).default(60_000).describe('/healthz says "degraded: cloud unreachable for ..." once the OMS has not answered for this long'),
    clockSkewWarnMs: z.number().int().positive().default(300_000).describe('Warn when the OMS clock differs from ours by more than this (seq orders events, never the clock)'),
    mqtt: z
      .object({
        topicPrefix: z.string().default('dsgw/oms/v1').describe('Requests go to {topicPrefix}/stores/{store}/req, replies come on .../res'),
        clientId: z.string().optional().describe('Stable client id for the persistent session; defaults to dsgw-sync-{store}'),
        username: z.string().optional(),
        password: z.string().optional(),
        reconnectMs: z.number().int().positive().default(2000).describe('Wait between reconnect attempts to the cloud broker'),
      })
      .strict()
      .prefault({})
      .describe('Settings of the MQTT transport (transport: mqtt)'),
  })
  .strict();

export const zigbeeAdapters = ['zstack', 'ember', 'deconz', 'zboss', 'zigate', 'ezsp'] as const;

/** The Zigbee coordinator (docs/zigbee.md). The network key is not here: it is generated on first start and kept in the data folder. */
export const zigbeeSchema = z
  .object({
    adapter: z.enum(zigbeeAdapters).describe('Coordinator firmware: zstack (TI CC2652/CC1352, Sonoff ZBDongle-P), ember (Silabs EFR32, Sonoff ZBDongle-E), deconz (ConBee/RaspBee), zboss (nRF52840), zigate, ezsp (old Silabs firmware)'),
    serial: z
      .object({
        path: z.string().optional().describe('Serial device of the coordinator, e.g. /dev/ttyUSB0 or /dev/serial/by-id/...'),
        match: z
          .object({ vendorId: hexId.optional(), productId: hexId.optional(), serialNumber: z.string().optional() })
          .strict()
          .optional()
          .describe('Find the coordinator by USB ids, so a re-enumerated dongle is found again'),
        baudRate: z.number().int().positive().optional().describe('Only when the firmware needs a non-default speed (e.g. 460800 for some ember sticks)'),
        rtscts: z.boolean().optional().describe('Hardware flow control, when the firmware needs it'),
      })
      .strict()
      .refine((s) => s.path !== undefined || s.match !== undefined, { message: 'the zigbee coordinator needs serial.path or serial.match (vendorId/productId/serialNumber)' }),
    channel: z.number().int().min(11).max(26).default(11).describe('802.15.4 channel 11-26; 11, 15, 20 and 25 sit between the usual Wi-Fi channels'),
    panId: z
      .union([z.number().int().min(1).max(0xfffe), z.string().regex(/^0x[0-9a-fA-F]{1,4}$/, 'a PAN id like "0x1a62"')])
      .default(0x1a62)
      .describe('16-bit PAN id (1-0xfffe); keep it when the coordinator is replaced, or every device must pair again'),
    availability: z
      .object({
        mainsTimeoutSeconds: z.number().int().min(10).default(600).describe('A mains-powered device not heard from for this long is offline; it is pinged first'),
        batteryTimeoutSeconds: z.number().int().min(60).default(90_000).describe('A battery device (which sleeps and is never pinged) not heard from for this long is offline'),
        checkIntervalSeconds: z.number().int().min(1).default(30).describe('How often last-seen times are checked'),
      })
      .strict()
      .prefault({}),
    reconnect: z
      .object({ initialMs: z.number().int().positive().default(1000), maxMs: z.number().int().positive().default(30_000) })
      .strict()
      .prefault({})
      .describe('Backoff between attempts to reopen the coordinator after it disconnects'),
  })
  .strict();

export const configSchema = z
  .object({
    store: z
      .object({
        id: id('store'),
        name: z.string().optional(),
        timezone: z
          .string()
          .refine(isTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone; use one like "Europe/Amsterdam" or "UTC"` })
          .default('UTC')
          .describe('IANA time zone: expiry dates end at midnight here, and cycle counts run at their local time'),
        language: z.string().default('en'),
      })
      .strict(),
    dataDir: z.string().default('./data').describe('Folder of the event log and other state'),
    durability: z
      .enum(['normal', 'full'])
      .default('normal')
      .describe('normal: survives a killed process; full: also survives power loss (slower)'),
    logging: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .prefault({}),
    broker: brokerSchema.prefault({ mode: 'embedded' }),
    http: z
      .object({
        host: z.string().default('0.0.0.0'),
        port: port.default(8080),
        tokens: z.array(apiTokenSchema).default([]).describe('Bearer tokens of the admin API and console, each with a role'),
      })
      .strict()
      .prefault({}),
    devices: z.array(deviceSchema).default([]),
    stations: z.array(stationSchema).default([]),
    layout: z.object({ bins: z.array(binSchema).default([]) }).strict().prefault({}),
    cloud: cloudSchema.optional(),
    workflows: workflowsSchema.prefault({}).describe('Floor workflow defaults: checkweigh tolerance, packaging, supervisors (docs/workflows.md)'),
    barcodes: barcodeOptionsSchema.prefault({}).describe('Barcode decoding for the store: FNC1 substitutes, variable-measure market, store labels, SSCC (docs/barcodes.md)'),
    zigbee: zigbeeSchema.optional().describe('Zigbee coordinator for battery lights, buttons and sensors (docs/zigbee.md); devices bind to it with transport {type: zigbee, ieee}'),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const deviceIds = new Set<string>();
    cfg.devices.forEach((d, i) => {
      if (deviceIds.has(d.id)) ctx.addIssue({ code: 'custom', path: ['devices', i, 'id'], message: `device id "${d.id}" is used twice; ids must be unique` });
      deviceIds.add(d.id);
      if (d.transport.type === 'mqtt' && !d.secret && !d.secretHash) {
        ctx.addIssue({ code: 'custom', path: ['devices', i], message: `MQTT device "${d.id}" needs a secret or secretHash to connect to the broker` });
      }
    });
    // A Zigbee device is found by its IEEE address: two ids on one address would split its events.
    const zigbeeIeee = new Map<string, string>();
    cfg.devices.forEach((d, i) => {
      if (d.transport.type !== 'zigbee') return;
      if (!cfg.zigbee) ctx.addIssue({ code: 'custom', path: ['devices', i, 'transport'], message: `Zigbee device "${d.id}" needs a zigbee section (the coordinator's adapter and serial port); see docs/zigbee.md` });
      const ieee = d.transport.ieee.toLowerCase();
      const other = zigbeeIeee.get(ieee);
      if (other) ctx.addIssue({ code: 'custom', path: ['devices', i, 'transport', 'ieee'], message: `IEEE address ${ieee} is already device "${other}"'s; each Zigbee device has one id` });
      else zigbeeIeee.set(ieee, d.id);
    });
    const stationIds = new Set<string>();
    cfg.stations.forEach((s, i) => {
      if (stationIds.has(s.id)) ctx.addIssue({ code: 'custom', path: ['stations', i, 'id'], message: `station id "${s.id}" is used twice; ids must be unique` });
      stationIds.add(s.id);
      s.devices.forEach((dev, j) => {
        if (!deviceIds.has(dev)) ctx.addIssue({ code: 'custom', path: ['stations', i, 'devices', j], message: `no device "${dev}" in devices; add it there or fix the id` });
      });
      const hasScanner = s.devices.some((dev) => cfg.devices.find((d) => d.id === dev)?.class === 'scanner');
      if (!hasScanner && s.devices.every((dev) => deviceIds.has(dev))) {
        ctx.addIssue({ code: 'custom', path: ['stations', i, 'devices'], message: `station "${s.id}" has no scanner; every station needs one to verify anything` });
      }
    });
    const lightAddresses = new Map<string, string>();
    const binIds = new Set<string>();
    cfg.layout.bins.forEach((b, i) => {
      if (binIds.has(b.id)) ctx.addIssue({ code: 'custom', path: ['layout', 'bins', i, 'id'], message: `bin id "${b.id}" is used twice; ids must be unique` });
      binIds.add(b.id);
      if (b.light && !deviceIds.has(b.light.device)) {
        ctx.addIssue({ code: 'custom', path: ['layout', 'bins', i, 'light', 'device'], message: `no device "${b.light.device}" in devices; add the light there or fix the id` });
      }
      if (b.light) {
        // Two bins on one light would light the wrong bin for one of them.
        const key = `${b.light.device}#${b.light.address}`;
        const other = lightAddresses.get(key);
        if (other) ctx.addIssue({ code: 'custom', path: ['layout', 'bins', i, 'light', 'address'], message: `light ${b.light.device} address ${b.light.address} is already ${other}'s; each bin needs its own light` });
        else lightAddresses.set(key, `bin "${b.id}"`);
      }
    });
    cfg.stations.forEach((s, i) => checkBatch(cfg, s, ['stations', i, 'batch'], lightAddresses, ctx));
  });

/** A put wall's slots: numbered once each, enough for maxOrders, each on a light of its own. */
function checkBatch(
  cfg: { devices: Array<{ id: string; class: string }> },
  station: z.output<typeof stationSchema>,
  path: Array<string | number>,
  lightAddresses: Map<string, string>,
  ctx: z.RefinementCtx,
): void {
  const batch = station.batch;
  if (!batch) return;
  if (station.kind !== 'pick') {
    ctx.addIssue({ code: 'custom', path, message: `station "${station.id}" is a ${station.kind} station; batch applies to pick stations only` });
    return;
  }
  if (batch.maxOrders > batch.putWall.length) {
    ctx.addIssue({ code: 'custom', path: [...path, 'maxOrders'], message: `maxOrders ${batch.maxOrders} needs as many put wall slots, there are ${batch.putWall.length}; add slots or lower maxOrders` });
  }
  const slots = new Set<number>();
  batch.putWall.forEach((s, j) => {
    const at = [...path, 'putWall', j];
    if (slots.has(s.slot)) ctx.addIssue({ code: 'custom', path: [...at, 'slot'], message: `slot ${s.slot} is listed twice; each slot once` });
    slots.add(s.slot);
    const device = cfg.devices.find((d) => d.id === s.light.device);
    if (!device) ctx.addIssue({ code: 'custom', path: [...at, 'light', 'device'], message: `no device "${s.light.device}" in devices; add the put wall light there or fix the id` });
    else if (device.class !== 'light') ctx.addIssue({ code: 'custom', path: [...at, 'light', 'device'], message: `device "${s.light.device}" is a ${device.class}, not a light; a slot needs a light` });
    // A slot on a bin's light (or another slot's) would light the wrong place for one of them.
    const key = `${s.light.device}#${s.light.address}`;
    const other = lightAddresses.get(key);
    if (other) ctx.addIssue({ code: 'custom', path: [...at, 'light', 'address'], message: `light ${s.light.device} address ${s.light.address} is already ${other}'s; each slot needs its own light` });
    else lightAddresses.set(key, `slot ${s.slot} of station "${station.id}"`);
  });
}

/** The config as the gateway uses it: defaults filled in. */
export type GatewayConfig = z.output<typeof configSchema>;
export type DeviceConfig = z.output<typeof deviceSchema>;
export type StationConfig = z.output<typeof stationSchema>;
export type BinConfig = z.output<typeof binSchema>;
export type BatchConfig = z.output<typeof batchSchema>;
export type BrokerConfig = z.output<typeof brokerSchema>;
export type CloudConfig = z.output<typeof cloudSchema>;
export type ZigbeeConfig = z.output<typeof zigbeeSchema>;
export type WorkflowsConfig = z.output<typeof workflowsSchema>;
