/**
 * herdsman's Device model reduced to the plain facts we show and decide on (ZigbeeDeviceInfo),
 * so nothing above the coordinator holds a herdsman object that goes stale on reconnect.
 *
 * @example
 *   describeDevice(controller.getDeviceByIeeeAddr('0x00124b0012345678')!);
 *   // { ieee, model: 'LED1545G12', powerSource: 'Mains (single phase)', possibleClasses: ['light'], ... }
 */
import type { Models } from 'zigbee-herdsman';
import { possibleClasses, type EndpointClusters } from './clusterMapping.ts';
import type { ZigbeeDeviceInfo } from './zigbeeNetwork.ts';

const interviewStates: Record<string, ZigbeeDeviceInfo['interview']> = {
  PENDING: 'pending',
  IN_PROGRESS: 'in-progress',
  SUCCESSFUL: 'successful',
  FAILED: 'failed',
};

export function describeDevice(device: Models.Device): ZigbeeDeviceInfo {
  const endpoints: EndpointClusters[] = device.endpoints.map((e) => ({
    id: e.ID,
    inputClusters: e.getInputClusters().map((c) => c.name),
    outputClusters: e.getOutputClusters().map((c) => c.name),
  }));
  const powerSource = device.powerSource;
  return {
    ieee: device.ieeeAddr,
    networkAddress: device.networkAddress,
    type: device.type,
    manufacturer: device.manufacturerName,
    model: device.modelID,
    powerSource,
    // Routers keep their radio on whatever they report; a device without a report is asked nothing.
    mainsPowered: device.type === 'Router' || /mains|dc source/i.test(powerSource ?? ''),
    interview: interviewStates[device.interviewState] ?? 'pending',
    endpoints,
    possibleClasses: possibleClasses(endpoints),
    lastSeen: device.lastSeen !== undefined ? new Date(device.lastSeen).toISOString() : undefined,
    linkQuality: device.linkquality,
  };
}

/** One line for a pairing report: "0x... IKEA of Sweden TRADFRI bulb (Router, mains): can be a light". */
export function pairingSummary(info: ZigbeeDeviceInfo, boundTo: string | undefined): string {
  const what = [info.manufacturer, info.model].filter(Boolean).join(' ') || 'unknown model';
  const power = info.mainsPowered ? 'mains' : 'battery';
  const classes = info.possibleClasses.length > 0 ? `can be a ${info.possibleClasses.join(' or a ')}` : 'has no cluster we map (not a light, button or sensor)';
  const binding = boundTo ? `bound to device "${boundTo}"` : `not in the config yet: add a device with transport {type: zigbee, ieee: "${info.ieee}"}`;
  return `${info.ieee} ${what} (${info.type}, ${power}), interview ${info.interview}: ${classes}; ${binding}`;
}
