/**
 * What a Zigbee device driver needs from the coordinator, and nothing more: hear its device's
 * frames and presence, learn what the interview found, send ZCL commands. The coordinator
 * implements it; a driver never touches herdsman.
 *
 * @example
 *   const detach = network.attach('0x00124b0012345678', {
 *     message: (m) => console.log(m.cluster, m.type, m.data),
 *     presence: (online, reason) => console.log(online ? 'online' : `offline: ${reason}`),
 *   });
 *   await network.send('0x00124b0012345678', 11, [{ cluster: 'genOnOff', command: 'on', payload: {} }]);
 */
import type { EndpointClusters, ZclCommand, ZigbeeDeviceClass, ZigbeeMessage } from './clusterMapping.ts';

/** What the coordinator knows about one paired device (from the interview and its traffic). */
export interface ZigbeeDeviceInfo {
  ieee: string;
  networkAddress: number;
  type: 'Router' | 'EndDevice' | 'Coordinator' | 'Unknown' | 'GreenPower';
  manufacturer?: string;
  model?: string;
  /** "Battery", "Mains (single phase)", ...; a battery device sleeps and is never pinged. */
  powerSource?: string;
  mainsPowered: boolean;
  interview: 'pending' | 'in-progress' | 'successful' | 'failed';
  endpoints: EndpointClusters[];
  /** The classes its clusters allow, e.g. ['light'] or ['button']. */
  possibleClasses: ZigbeeDeviceClass[];
  lastSeen?: string;
  /** 0-255, of the last frame received. */
  linkQuality?: number;
}

export interface ZigbeeIncoming extends ZigbeeMessage {
  endpoint: number;
  linkQuality: number;
}

export interface ZigbeeDeviceListener {
  message(message: ZigbeeIncoming): void;
  /** Reachable or not: paired, coordinator up, heard from recently. `reason` says why not. */
  presence(online: boolean, reason?: string): void;
}

export interface ZigbeeNetwork {
  /** Starts delivering a device's frames and presence to `listener`; returns the detach function. */
  attach(ieee: string, listener: ZigbeeDeviceListener): () => void;
  /** The device as paired, or undefined when it has not joined (or has left). */
  device(ieee: string): ZigbeeDeviceInfo | undefined;
  /** Sends commands to one endpoint in order; rejects with what to do when it cannot. */
  send(ieee: string, endpoint: number, commands: ZclCommand[]): Promise<void>;
  /** "zstack on /dev/ttyUSB0", for messages. */
  readonly address: string;
}
