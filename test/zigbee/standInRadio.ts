/**
 * A small Zigbee network without a radio, at zigbee-herdsman's `Adapter` boundary: the real
 * Controller (database, interview, IAS enrolment, ZCL parsing) runs on top; below, emulated
 * devices answer the interview (node descriptor, active endpoints, simple descriptors, genBasic
 * reads) and send and receive real ZCL frames built and parsed with herdsman's own ZCL code.
 * The radio outlives each adapter, as a dongle's network outlives a replug: `unplug()` makes the
 * current adapter emit `disconnected` and further starts fail until `plugIn()`.
 *
 * @example
 *   const radio = new StandInRadio();
 *   const coordinator = new ZigbeeCoordinator({ ..., createAdapter: radio.factory });
 *   const bulb = radio.join(bulbDevice('0x00124b0000000001'));
 *   await bulb.report(11, 'genPowerCfg', { batteryPercentageRemaining: 180 });
 *   radio.sent; // every ZCL frame the gateway sent, parsed
 */
import { Zcl, Zdo } from 'zigbee-herdsman';
import { Adapter } from 'zigbee-herdsman/dist/adapter/adapter.js';
import type { ZclPayload } from 'zigbee-herdsman/dist/adapter/events.js';
import type * as TsType from 'zigbee-herdsman/dist/adapter/tstype.js';
import type { AdapterFactory } from '../../devices/zigbee/adapterFactory.ts';

export interface EmulatedEndpoint {
  id: number;
  deviceId: number;
  inputClusters: string[];
  outputClusters: string[];
}

export interface EmulatedDeviceSpec {
  ieee: string;
  networkAddress: number;
  /** 1 router (mains), 2 end device (usually battery). */
  logicalType: 1 | 2;
  endpoints: EmulatedEndpoint[];
  /** Attribute values per cluster name, answered to reads (genBasic: modelId, powerSource, ...). */
  attributes: Record<string, Record<string, unknown>>;
}

/** One ZCL frame the gateway sent, as the device would parse it. */
export interface SentFrame {
  ieee: string;
  endpoint: number;
  cluster: string;
  command: string;
  payload: unknown;
  frameType: Zcl.FrameType;
}

const coordinatorIeee = '0x00124b00000c0001';
let tsn = 0;

export class EmulatedDevice {
  /** When true the device answers nothing (out of range, battery pulled). */
  silent = false;

  constructor(
    readonly spec: EmulatedDeviceSpec,
    private readonly radio: StandInRadio,
  ) {}

  get ieee(): string {
    return this.spec.ieee;
  }

  /** Sends a cluster command to the coordinator, e.g. a button's genOnOff "on". */
  command(endpoint: number, cluster: string, command: string, payload: Record<string, unknown> = {}, direction = Zcl.Direction.CLIENT_TO_SERVER): void {
    const frame = Zcl.Frame.create(Zcl.FrameType.SPECIFIC, direction, true, undefined, ++tsn & 0xff, command, cluster, payload, {});
    this.radio.deliver(this, endpoint, frame);
  }

  /** Sends an attribute report, e.g. genPowerCfg { batteryPercentageRemaining: 180 }. */
  report(endpoint: number, cluster: string, values: Record<string, unknown>): void {
    const clusterDef = Zcl.Utils.getCluster(cluster, undefined, {});
    const payload = Object.entries(values).map(([name, attrData]) => {
      const attribute = Zcl.Utils.getClusterAttribute(clusterDef, name, undefined)!;
      return { attrId: attribute.ID, dataType: attribute.type, attrData };
    });
    const frame = Zcl.Frame.create(Zcl.FrameType.GLOBAL, Zcl.Direction.SERVER_TO_CLIENT, true, undefined, ++tsn & 0xff, 'report', cluster, payload, {});
    this.radio.deliver(this, endpoint, frame);
  }

  /** The device's answer to a frame from the gateway (or undefined: no answer needed). */
  answer(endpoint: number, frame: Zcl.Frame): Zcl.Frame | undefined {
    const cluster = frame.cluster.name;
    const reply = (command: string, payload: unknown, frameType = Zcl.FrameType.GLOBAL) =>
      Zcl.Frame.create(frameType, Zcl.Direction.SERVER_TO_CLIENT, true, undefined, frame.header.transactionSequenceNumber, command, cluster, payload, {});
    const values = (this.spec.attributes[cluster] ??= {});
    if (frame.header.isGlobal && frame.command.name === 'read') {
      const records = (frame.payload as Array<{ attrId: number }>).map(({ attrId }) => {
        const attribute = Zcl.Utils.getClusterAttribute(frame.cluster, attrId, undefined);
        const value = attribute ? values[attribute.name] : undefined;
        return value === undefined ? { attrId, status: Zcl.Status.UNSUPPORTED_ATTRIBUTE } : { attrId, status: Zcl.Status.SUCCESS, dataType: attribute!.type, attrData: value };
      });
      return reply('readRsp', records);
    }
    if (frame.header.isGlobal && frame.command.name === 'write') {
      for (const { attrId, attrData } of frame.payload as Array<{ attrId: number; attrData: unknown }>) {
        const attribute = Zcl.Utils.getClusterAttribute(frame.cluster, attrId, undefined);
        if (attribute) values[attribute.name] = attrData;
      }
      return reply('writeRsp', [{ status: Zcl.Status.SUCCESS }]);
    }
    if (frame.header.isGlobal && frame.command.name === 'configReport') return reply('configReportRsp', [{ status: Zcl.Status.SUCCESS }]);
    // IAS auto-enrol: the enroll response makes the zone enrolled, which the interview checks.
    if (cluster === 'ssIasZone' && frame.command.name === 'enrollRsp') values.zoneState = 1;
    if (frame.header.isSpecific && !frame.header.frameControl.disableDefaultResponse) {
      return reply('defaultRsp', { cmdId: frame.header.commandIdentifier, statusCode: Zcl.Status.SUCCESS });
    }
    void endpoint;
    return undefined;
  }
}

export class StandInRadio {
  readonly devices = new Map<string, EmulatedDevice>();
  readonly sent: SentFrame[] = [];
  readonly permitJoins: number[] = [];
  adapter?: StandInAdapter;
  /** How many adapters the Controller built (one per start, so a reconnect adds one). */
  starts = 0;
  private plugged = true;

  readonly factory: AdapterFactory = async (network, serialPort, backupPath, options) => {
    this.adapter = new StandInAdapter(this, network, serialPort, backupPath, options);
    return this.adapter;
  };

  get isPlugged(): boolean {
    return this.plugged;
  }

  /** A device joins (after permit join), and the Controller interviews it. */
  join(spec: EmulatedDeviceSpec): EmulatedDevice {
    const device = new EmulatedDevice(spec, this);
    this.devices.set(spec.ieee, device);
    this.adapter?.emit('deviceJoined', { networkAddress: spec.networkAddress, ieeeAddr: spec.ieee });
    return device;
  }

  /** A device leaves the network (factory reset, or removed). */
  leave(ieee: string): void {
    const device = this.devices.get(ieee);
    this.devices.delete(ieee);
    this.adapter?.emit('deviceLeave', { ieeeAddr: ieee, networkAddress: device?.spec.networkAddress ?? 0 });
  }

  /** The dongle is pulled: the running adapter reports a disconnect; starts fail until plugIn(). */
  unplug(): void {
    this.plugged = false;
    this.adapter?.emit('disconnected');
  }

  plugIn(): void {
    this.plugged = true;
  }

  framesTo(ieee: string): SentFrame[] {
    return this.sent.filter((f) => f.ieee === ieee);
  }

  deliver(device: EmulatedDevice, endpoint: number, frame: Zcl.Frame): void {
    const data = frame.toBuffer();
    const payload: ZclPayload = {
      clusterID: frame.cluster.ID,
      address: device.spec.networkAddress,
      header: Zcl.Header.fromBuffer(data),
      data,
      endpoint,
      linkquality: 142,
      groupID: 0,
      wasBroadcast: false,
      destinationEndpoint: 1,
    };
    this.adapter?.emit('zclPayload', payload);
  }

  byNetworkAddress(networkAddress: number): EmulatedDevice | undefined {
    return [...this.devices.values()].find((d) => d.spec.networkAddress === networkAddress);
  }
}

/** herdsman's Adapter over the stand-in radio; only what the Controller calls does anything. */
export class StandInAdapter extends Adapter {
  private stopped = false;

  constructor(
    private readonly radio: StandInRadio,
    network: TsType.NetworkOptions,
    serialPort: TsType.SerialPortOptions,
    backupPath: string,
    options: TsType.AdapterOptions,
  ) {
    super(network, serialPort, backupPath, options);
  }

  async start(): Promise<TsType.StartResult> {
    if (!this.radio.isPlugged) throw new Error(`Error: No such file or directory, cannot open ${this.serialPortOptions.path}`);
    this.radio.starts++;
    return 'resumed';
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  async getCoordinatorIEEE(): Promise<string> {
    return coordinatorIeee;
  }

  async getCoordinatorVersion(): Promise<TsType.CoordinatorVersion> {
    return { type: 'stand-in', meta: {} };
  }

  async reset(): Promise<void> {}

  async supportsBackup(): Promise<boolean> {
    return false;
  }

  async backup(): Promise<never> {
    throw new Error('the stand-in radio keeps no backup');
  }

  async getNetworkParameters(): Promise<TsType.NetworkParameters> {
    return { panID: this.networkOptions.panID, extendedPanID: '0xdddddddddddddddd', channel: this.networkOptions.channelList[0]!, nwkUpdateID: 0 };
  }

  async addInstallCode(): Promise<void> {}

  waitFor(): { promise: Promise<ZclPayload>; cancel: () => void } {
    return { promise: new Promise(() => undefined), cancel: () => undefined };
  }

  // herdsman declares sendZdo with overloads per cluster; one implementation answers them all.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async sendZdo(ieee: string, networkAddress: number, clusterId: Zdo.ClusterId, payload: Buffer, disableResponse: boolean): Promise<any> {
    this.assertRunning();
    if (disableResponse) return undefined;
    if (networkAddress === 0) return this.coordinatorZdo(clusterId, payload);
    const device = this.radio.byNetworkAddress(networkAddress);
    if (!device || device.silent) throw new Error(`ZDO ${Zdo.ClusterId[clusterId]} to ${ieee}/${networkAddress}: no response`);
    const { spec } = device;
    switch (clusterId) {
      case Zdo.ClusterId.NODE_DESCRIPTOR_REQUEST:
        return [Zdo.Status.SUCCESS, nodeDescriptor(networkAddress, spec.logicalType)];
      case Zdo.ClusterId.ACTIVE_ENDPOINTS_REQUEST:
        return [Zdo.Status.SUCCESS, { nwkAddress: networkAddress, endpointList: spec.endpoints.map((e) => e.id) }];
      case Zdo.ClusterId.SIMPLE_DESCRIPTOR_REQUEST: {
        const endpoint = spec.endpoints.find((e) => e.id === payload[3]);
        if (!endpoint) return [Zdo.Status.NOT_ACTIVE, undefined];
        return [Zdo.Status.SUCCESS, simpleDescriptor(networkAddress, endpoint)];
      }
      default:
        return [Zdo.Status.SUCCESS, undefined];
    }
  }

  async permitJoin(seconds: number): Promise<void> {
    this.assertRunning();
    this.radio.permitJoins.push(seconds);
  }

  async sendZclFrameToEndpoint(ieee: string, networkAddress: number, endpoint: number, frame: Zcl.Frame, _timeout: number, disableResponse: boolean): Promise<ZclPayload | undefined> {
    this.assertRunning();
    // What the device receives: the frame's own bytes, parsed again as a device would.
    const bytes = frame.toBuffer();
    const parsed = Zcl.Frame.fromBuffer(frame.cluster.ID, Zcl.Header.fromBuffer(bytes), bytes, {});
    this.radio.sent.push({ ieee, endpoint, cluster: parsed.cluster.name, command: parsed.command.name, payload: parsed.payload, frameType: parsed.header.frameControl.frameType });
    const device = this.radio.byNetworkAddress(networkAddress);
    if (!device || device.silent) throw new Error(`no MAC acknowledgement from ${ieee}/${networkAddress}`);
    const answer = device.answer(endpoint, parsed);
    if (!answer || disableResponse) return undefined;
    const data = answer.toBuffer();
    return { clusterID: answer.cluster.ID, address: networkAddress, header: Zcl.Header.fromBuffer(data), data, endpoint, linkquality: 142, groupID: 0, wasBroadcast: false, destinationEndpoint: 1 };
  }

  async sendZclFrameToGroup(): Promise<void> {
    this.assertRunning();
  }

  async sendZclFrameToAll(): Promise<void> {
    this.assertRunning();
  }

  async setChannelInterPAN(): Promise<void> {}

  async sendZclFrameInterPANToIeeeAddr(): Promise<void> {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async sendZclFrameInterPANBroadcast(): Promise<any> {
    return undefined;
  }

  async restoreChannelInterPAN(): Promise<void> {}

  private assertRunning(): void {
    if (this.stopped || !this.radio.isPlugged) throw new Error('adapter is disconnected');
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private coordinatorZdo(clusterId: Zdo.ClusterId, payload: Buffer): any {
    const endpoint: EmulatedEndpoint = { id: 1, deviceId: 0x0005, inputClusters: ['genBasic'], outputClusters: ['genBasic', 'genOnOff', 'ssIasZone'] };
    if (clusterId === Zdo.ClusterId.ACTIVE_ENDPOINTS_REQUEST) return [Zdo.Status.SUCCESS, { nwkAddress: 0, endpointList: [1] }];
    if (clusterId === Zdo.ClusterId.SIMPLE_DESCRIPTOR_REQUEST && payload[3] === 1) return [Zdo.Status.SUCCESS, simpleDescriptor(0, endpoint)];
    if (clusterId === Zdo.ClusterId.NODE_DESCRIPTOR_REQUEST) return [Zdo.Status.SUCCESS, nodeDescriptor(0, 0)];
    return [Zdo.Status.SUCCESS, undefined];
  }
}

function nodeDescriptor(nwkAddress: number, logicalType: number) {
  const mains = logicalType !== 2;
  return {
    nwkAddress,
    logicalType,
    fragmentationSupported: undefined,
    apsFlags: 0,
    frequencyBand: 0b1000,
    capabilities: { alternatePANCoordinator: 0, deviceType: mains ? 1 : 0, powerSource: mains ? 1 : 0, rxOnWhenIdle: mains ? 1 : 0, reserved1: 0, reserved2: 0, securityCapability: 0, allocateAddress: 1 },
    manufacturerCode: 0x1234,
    maxBufSize: 82,
    maxIncTxSize: 82,
    serverMask: { primaryTrustCenter: 0, backupTrustCenter: 0, deprecated1: 0, deprecated2: 0, deprecated3: 0, deprecated4: 0, networkManager: 0, reserved1: 0, reserved2: 0, stackComplianceRevision: 22 },
    maxOutTxSize: 82,
    deprecated1: 0,
    tlvs: [],
  };
}

function simpleDescriptor(nwkAddress: number, endpoint: EmulatedEndpoint) {
  const ids = (names: string[]) => names.map((n) => Zcl.Utils.getCluster(n, undefined, {}).ID);
  return { nwkAddress, length: 0, endpoint: endpoint.id, profileId: 0x0104, deviceId: endpoint.deviceId, deviceVersion: 1, inClusterList: ids(endpoint.inputClusters), outClusterList: ids(endpoint.outputClusters) };
}

/** A colour bulb on mains (a router), as an IKEA or Hue bulb reports itself. */
export function colorBulb(ieee: string, networkAddress: number): EmulatedDeviceSpec {
  return {
    ieee,
    networkAddress,
    logicalType: 1,
    endpoints: [{ id: 11, deviceId: 0x010d, inputClusters: ['genBasic', 'genIdentify', 'genOnOff', 'genLevelCtrl', 'lightingColorCtrl'], outputClusters: [] }],
    attributes: { genBasic: { modelId: 'BinLight-RGB', manufacturerName: 'StandIn', powerSource: 1, zclVersion: 8 } },
  };
}

/** A battery remote (an end device) that sends genOnOff commands and reports its battery. */
export function batteryButton(ieee: string, networkAddress: number): EmulatedDeviceSpec {
  return {
    ieee,
    networkAddress,
    logicalType: 2,
    endpoints: [{ id: 1, deviceId: 0x0820, inputClusters: ['genBasic', 'genPowerCfg'], outputClusters: ['genOnOff', 'genLevelCtrl', 'genScenes'] }],
    attributes: { genBasic: { modelId: 'Remote-2B', manufacturerName: 'StandIn', powerSource: 3, zclVersion: 8 }, genPowerCfg: { batteryPercentageRemaining: 200 } },
  };
}

/** A battery IAS contact sensor (door or photo-eye), enrolled during the interview. */
export function contactSensor(ieee: string, networkAddress: number): EmulatedDeviceSpec {
  return {
    ieee,
    networkAddress,
    logicalType: 2,
    endpoints: [{ id: 1, deviceId: 0x0402, inputClusters: ['genBasic', 'genPowerCfg', 'ssIasZone'], outputClusters: [] }],
    attributes: {
      genBasic: { modelId: 'Contact-1', manufacturerName: 'StandIn', powerSource: 3, zclVersion: 8 },
      ssIasZone: { zoneState: 0, zoneType: 0x0015, zoneStatus: 0, iasCieAddr: '0x0000000000000000' },
    },
  };
}
