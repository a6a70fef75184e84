/**
 * How Zigbee clusters map onto our device classes, as pure functions (no herdsman, no timers),
 * so the whole table is testable case by case. The coordinator hands in what herdsman parsed
 * (cluster name, message type, data); these return our typed events, or the ZCL commands that
 * put a bin light into a state. docs/zigbee.md has the same table for people.
 *
 * @example
 *   toDriverEvent('button', { cluster: 'genOnOff', type: 'commandOn', data: {} }); // { kind: 'button', button: 'confirm' }
 *   lightCommands({ color: 'green', blink: true }, { color: true, level: true });
 *   // [ moveToColor (green xy), moveToLevelWithOnOff 254, identify 30 s ]
 */
import type { DriverEvent } from '../driver.ts';

/** What herdsman reports for one incoming frame, reduced to what the mapping needs. */
export interface ZigbeeMessage {
  cluster: string | number;
  /** "attributeReport", "readResponse", or "command" + the command name, e.g. "commandOn". */
  type: string;
  data: Record<string, unknown>;
}

export type ZigbeeDeviceClass = 'light' | 'button' | 'sensor';

/** Colours a bin light can show; the MQTT contract's set. */
export type LightColor = 'off' | 'red' | 'green' | 'blue' | 'yellow' | 'white' | 'cyan' | 'magenta';

export interface LightState {
  color: LightColor;
  blink?: boolean;
}

/** What a bulb's interview said it can do. */
export interface LightCapabilities {
  /** lightingColorCtrl: it can show a colour. Without it a light is on (any colour) or off. */
  color: boolean;
  /** genLevelCtrl: it can be set to full brightness in one step. */
  level: boolean;
}

/** One ZCL cluster-specific command for the coordinator to send to the light's endpoint. */
export interface ZclCommand {
  cluster: 'genOnOff' | 'genLevelCtrl' | 'lightingColorCtrl' | 'genIdentify';
  command: string;
  payload: Record<string, number>;
}

/** CIE 1931 xy of each colour, as the ZCL moveToColor command takes them (x 65535). */
const cieXy: Record<Exclude<LightColor, 'off'>, [number, number]> = {
  red: [0.7006, 0.2993],
  green: [0.1724, 0.7468],
  blue: [0.1355, 0.0399],
  yellow: [0.4432, 0.5154],
  white: [0.3227, 0.329],
  cyan: [0.1607, 0.3423],
  magenta: [0.3833, 0.1591],
};

/** How long a blinking light keeps blinking (ZCL identify time is in seconds, at most 65535). */
export const blinkSeconds = 30;

/**
 * The commands that put a light into `state`, in order. Colour first and then on, so a bulb
 * never flashes its previous colour at full brightness. Blink uses genIdentify, which nearly
 * every bulb implements; "stop identifying" is sent only when the light was blinking.
 */
export function lightCommands(state: LightState, capabilities: LightCapabilities, wasBlinking = false): ZclCommand[] {
  if (state.color === 'off') {
    return [...(wasBlinking ? [identify(0)] : []), { cluster: 'genOnOff', command: 'off', payload: {} }];
  }
  const commands: ZclCommand[] = [];
  if (capabilities.color) {
    const [x, y] = cieXy[state.color];
    commands.push({ cluster: 'lightingColorCtrl', command: 'moveToColor', payload: { colorx: Math.round(x * 65535), colory: Math.round(y * 65535), transtime: 0 } });
  }
  if (capabilities.level) commands.push({ cluster: 'genLevelCtrl', command: 'moveToLevelWithOnOff', payload: { level: 254, transtime: 0 } });
  else commands.push({ cluster: 'genOnOff', command: 'on', payload: {} });
  if (state.blink) commands.push(identify(blinkSeconds));
  else if (wasBlinking) commands.push(identify(0));
  return commands;
}

function identify(seconds: number): ZclCommand {
  return { cluster: 'genIdentify', command: 'identify', payload: { identifytime: seconds } };
}

/**
 * A frame from a button or sensor as one of our events, or undefined when it means nothing to
 * us (a light's own reports, a default response, a button's release).
 *
 * Buttons: genOnOff on/toggle = confirm, off = short; genMultistateInput presentValue 1
 * (single press) = confirm, 2 (double press) = short; genScenes recall scene 1 = confirm,
 * scene 2 = short; genLevelCtrl step/move up = plus, down = minus.
 * Sensors: ssIasZone zone status bit 0 (alarm 1: contact open, occupancy, beam broken) =
 * blocked, else clear; genBinaryInput presentValue true = blocked, false = clear.
 */
export function toDriverEvent(deviceClass: ZigbeeDeviceClass, message: ZigbeeMessage): DriverEvent | undefined {
  if (deviceClass === 'button') return buttonEvent(message);
  if (deviceClass === 'sensor') return sensorEvent(message);
  return undefined;
}

function buttonEvent({ cluster, type, data }: ZigbeeMessage): DriverEvent | undefined {
  const press = (button: 'confirm' | 'short' | 'plus' | 'minus'): DriverEvent => ({ kind: 'button', button });
  if (cluster === 'genOnOff') {
    if (type === 'commandOn' || type === 'commandToggle') return press('confirm');
    if (type === 'commandOff') return press('short');
  }
  if (cluster === 'genMultistateInput' && (type === 'attributeReport' || type === 'readResponse')) {
    if (data.presentValue === 1) return press('confirm');
    if (data.presentValue === 2) return press('short');
  }
  if (cluster === 'genScenes' && type === 'commandRecall') {
    if (data.sceneid === 1) return press('confirm');
    if (data.sceneid === 2) return press('short');
  }
  if (cluster === 'genLevelCtrl' && /^command(Step|Move)(WithOnOff)?$/.test(type)) {
    const mode = type.startsWith('commandStep') ? data.stepmode : data.movemode;
    if (mode === 0) return press('plus');
    if (mode === 1) return press('minus');
  }
  return undefined;
}

function sensorEvent({ cluster, type, data }: ZigbeeMessage): DriverEvent | undefined {
  const state = (blocked: boolean): DriverEvent => ({ kind: 'sensor', state: blocked ? 'blocked' : 'clear' });
  if (cluster === 'ssIasZone') {
    const status = type === 'commandStatusChangeNotification' ? data.zonestatus : type === 'attributeReport' ? data.zoneStatus : undefined;
    if (typeof status === 'number') return state((status & 0x1) !== 0);
  }
  if (cluster === 'genBinaryInput' && (type === 'attributeReport' || type === 'readResponse') && data.presentValue !== undefined) {
    return state(data.presentValue === 1 || data.presentValue === true);
  }
  return undefined;
}

/** Battery level in percent from a genPowerCfg report, when it carries one (ZCL counts half-percents). */
export function batteryPercent(message: ZigbeeMessage): number | undefined {
  if (message.cluster !== 'genPowerCfg') return undefined;
  const half = message.data.batteryPercentageRemaining;
  if (typeof half !== 'number' || half === 0xff) return undefined;
  return Math.min(100, Math.round(half / 2));
}

/** Battery voltage in volts from a genPowerCfg report (ZCL counts 100 mV). */
export function batteryVolts(message: ZigbeeMessage): number | undefined {
  if (message.cluster !== 'genPowerCfg') return undefined;
  const v = message.data.batteryVoltage;
  return typeof v === 'number' && v !== 0xff ? v / 10 : undefined;
}

/** The clusters of a device's endpoints, as the interview found them. */
export interface EndpointClusters {
  id: number;
  inputClusters: string[];
  outputClusters: string[];
}

/**
 * The endpoint that carries a class's clusters: for a light the one with genOnOff as a server
 * (input), for a button the one that sends genOnOff/genScenes/genLevelCtrl (output) or reports
 * genMultistateInput, for a sensor the one with ssIasZone or genBinaryInput. Undefined when the
 * device has none: it was bound to the wrong class in the config.
 */
export function endpointFor(deviceClass: ZigbeeDeviceClass, endpoints: EndpointClusters[]): EndpointClusters | undefined {
  const has = (list: string[], names: string[]) => names.some((n) => list.includes(n));
  return endpoints.find((e) => {
    if (deviceClass === 'light') return e.inputClusters.includes('genOnOff');
    if (deviceClass === 'button') return has(e.outputClusters, ['genOnOff', 'genScenes', 'genLevelCtrl']) || e.inputClusters.includes('genMultistateInput');
    return has(e.inputClusters, ['ssIasZone', 'genBinaryInput']);
  });
}

/** Which classes a device could serve, for the pairing report ("a light", "a button or a sensor"). */
export function possibleClasses(endpoints: EndpointClusters[]): ZigbeeDeviceClass[] {
  return (['light', 'button', 'sensor'] as const).filter((c) => endpointFor(c, endpoints) !== undefined);
}

export function capabilitiesOf(endpoint: EndpointClusters): LightCapabilities {
  return { color: endpoint.inputClusters.includes('lightingColorCtrl'), level: endpoint.inputClusters.includes('genLevelCtrl') };
}
