import { listHidDevices, listSerialPorts } from '../../../devices/discovery.ts';
import { ApiError, type ApiRouter } from '../apiRouter.ts';

/** Serial ports and HID devices on this machine, for an admin adding a device. */
export function addDiscoveryRoutes(router: ApiRouter): void {
  router.add({
    method: 'GET',
    path: '/api/v1/discovery/serial',
    role: 'operator',
    tag: 'discovery',
    summary: 'Serial ports with USB vendor, product and serial number (for transport.match)',
    handler: async () => {
      try {
        return { ports: await listSerialPorts() };
      } catch (err) {
        throw new ApiError(503, `cannot list serial ports: ${(err as Error).message}; the Debian package udev provides udevadm, which the listing needs`);
      }
    },
  });
  router.add({
    method: 'GET',
    path: '/api/v1/discovery/hid',
    role: 'operator',
    tag: 'discovery',
    summary: 'USB HID devices with their usage page (0x8c POS scanner, 0x8d POS scale)',
    handler: async () => {
      try {
        return { devices: await listHidDevices() };
      } catch (err) {
        throw new ApiError(503, (err as Error).message);
      }
    },
  });
}
