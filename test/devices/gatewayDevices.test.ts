import { describe, expect, it } from 'vitest';
import { SerialScannerSimulator } from '../../simulators/serialDevice.ts';
import { TcpScaleSimulator } from '../../simulators/tcpScale.ts';
import { runCli, startCli } from '../helpers/runCli.ts';
import { useTestGateway, waitFor } from '../helpers/testGateway.ts';
import { ptyLink } from './deviceHarness.ts';

describe('devices in the gateway', () => {
  const gw = useTestGateway();

  it('a serial scanner on a pty shows up in `log --follow` as device.scanned, with online/offline around an unplug', async () => {
    const scanner = new SerialScannerSimulator({ link: ptyLink('gw-scanner') });
    await scanner.start();
    try {
      const gateway = await gw.start({ devices: [{ id: 'scanner-pty', class: 'scanner', transport: { type: 'serial', path: scanner.gatewayPath } }] });
      await waitFor('device.online', () => gateway.log.query({ type: 'device.online' }).length === 1);
      const follow = await startCli(process.execPath, ['bin/darkstore-gateway.js', 'log', '--data', gateway.config.dataDir, '--follow'], /device\.online/);
      try {
        await scanner.scan(']C1010400638133393110LOT42');
        await waitFor('scan in the log', () => gateway.log.query({ type: 'device.scanned' }).length === 1);
        await waitFor('scan in the follower', () => follow.output().includes('device.scanned'), 10_000).catch((err: Error) => {
          throw new Error(`${err.message}; the follower printed:\n${follow.output()}`);
        });
        expect(follow.output()).toMatch(/device\.scanned\s+\[device=scanner-pty\] \{"deviceId":"scanner-pty","data":"\]C1010400638133393110LOT42","gtin":"04006381333931"\}/);
      } finally {
        follow.interrupt();
        await follow.exited;
      }
      await scanner.unplug();
      await waitFor('device.offline', () => gateway.log.query({ type: 'device.offline' }).length === 1);
      expect((gateway.log.query({ type: 'device.offline' })[0]!.data as { reason?: string }).reason).toMatch(/disappeared/);
      await scanner.replug();
      await waitFor('device.online again', () => gateway.log.query({ type: 'device.online' }).length === 2, 3000);
      expect(gateway.devices.health('scanner-pty')).toMatchObject({ state: 'online', counters: { reconnects: 1 } });
    } finally {
      await scanner.stop();
    }
  });

  it('logs a weighing once when it settles, not every reading', async () => {
    const scale = new TcpScaleSimulator({ protocol: 'toledo', intervalMs: 50 });
    const port = await scale.open();
    try {
      const gateway = await gw.start({
        devices: [{ id: 'scale-tcp', class: 'scale', protocol: 'toledo', transport: { type: 'tcp', host: '127.0.0.1', port }, scale: { stableMs: 200 } }],
      });
      let readings = 0;
      gateway.bus.onDeviceEvent(gateway, () => readings++);
      scale.setWeight(412.5, true);
      await waitFor('a weighing logged', () => gateway.log.query({ type: 'device.weighed' }).length === 1);
      await waitFor('many readings', () => readings > 10);
      scale.setWeight(0, false);
      await new Promise((r) => setTimeout(r, 300));
      scale.setWeight(980, true);
      await waitFor('second weighing', () => gateway.log.query({ type: 'device.weighed' }).length === 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(gateway.log.query({ type: 'device.weighed' }).map((e) => e.data)).toEqual([
        { deviceId: 'scale-tcp', grams: 412.5 },
        { deviceId: 'scale-tcp', grams: 980 },
      ]);
      const { stdout } = await runCli(['log', '--data', gateway.config.dataDir, '--type', 'device.weighed']);
      expect(stdout).toContain('"grams":980');
    } finally {
      await scale.close();
    }
  });
});
