/**
 * The demo's devices on their transports (simulators/demo/floorDevices.ts): with socat, the
 * first pick scanner and the pack scale get pseudo-terminals and the demo's working config says
 * so; without it, one line tells the operator and they stay MQTT stand-ins. The pack printer is
 * on TCP either way.
 */
import { copyFileSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/loadConfig.ts';
import { demoConfigFile } from '../../gateway/cli/configSource.ts';
import { prepareFloorDevices } from '../../simulators/demo/floorDevices.ts';
import { configSchema } from '../../config/schema.ts';
import { shiftConfigInput } from '../../simulators/demo/shiftConfig.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

describe('the demo store devices on their transports', () => {
  it('without socat: one line says so, the serial scanner and scale stay MQTT stand-ins, the printer is on TCP', async () => {
    const dir = tempDir();
    const notices: string[] = [];
    const floor = await prepareFloorDevices(configSchema.parse(shiftConfigInput({ stations: 2, dataDir: dir })), { dataDir: dir, socat: false, notice: (line) => notices.push(line) });
    try {
      expect(notices).toEqual(['socat not found: serial scanners and scales are simulated over MQTT; install socat to use pseudo-terminals']);
      expect(floor.notices).toEqual(notices);
      const transport = (id: string) => floor.config.devices.find((d) => d.id === id)!.transport;
      expect(transport('scanner-pick-1')).toEqual({ type: 'mqtt' });
      expect(transport('scale-pack-1')).toEqual({ type: 'mqtt' });
      expect(transport('printer-pack-1')).toMatchObject({ type: 'tcp', host: '127.0.0.1', port: floor.tcpPrinters.get('printer-pack-1')!.port });
      expect(floor.tcpPrinters.get('printer-pack-1')!.port).toBeGreaterThan(0);
    } finally {
      await floor.close();
    }
  });

  it('with socat: the working copy of the demo config gets the pseudo-terminals and the printer port, its comments kept', async () => {
    const dir = tempDir();
    const file = join(dir, 'store.yaml');
    copyFileSync(demoConfigFile, file);
    const notices: string[] = [];
    const floor = await prepareFloorDevices(loadConfigFile(file), { dataDir: dir, configFile: file, socat: true, notice: (line) => notices.push(line) });
    try {
      expect(notices).toEqual([]);
      const written = loadConfigFile(file);
      const device = (id: string) => written.devices.find((d) => d.id === id)!;
      expect(device('scanner-pick-1').transport).toMatchObject({ type: 'serial', path: join(dir, 'pty', 'scanner-pick-1'), delimiter: '\\r' });
      expect(device('scanner-pick-1').scanner).toMatchObject({ goodRead: '\\x06', badRead: '\\x15' });
      expect(device('scale-pack-1')).toMatchObject({ protocol: 'mt-sics', transport: { type: 'serial', path: join(dir, 'pty', 'scale-pack-1') } });
      expect(device('printer-pack-1').transport).toMatchObject({ type: 'tcp', host: '127.0.0.1', port: floor.tcpPrinters.get('printer-pack-1')!.port });
      // The rest stays as it was.
      expect(device('scanner-pick-2').transport).toEqual({ type: 'mqtt' });
      expect(device('lights-pick-1').transport).toEqual({ type: 'mqtt' });
      expect(readFileSync(file, 'utf8')).toContain('# The built-in demo config');
      // The links point at real pseudo-terminals, which the summary shows.
      expect(realpathSync(join(dir, 'pty', 'scanner-pick-1'))).toMatch(/^\/dev\/pts\/\d+$/);
      expect(floor.transports().find((d) => d.id === 'printer-pack-1')?.transport).toBe(`tcp 127.0.0.1:${floor.tcpPrinters.get('printer-pack-1')!.port}`);
    } finally {
      await floor.close();
    }
    expect(existsSync(join(dir, 'pty', 'scanner-pick-1'))).toBe(false);
  });
});
