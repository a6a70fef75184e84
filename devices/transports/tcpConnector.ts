/**
 * Opens a TCP client connection to a network scanner or scale (or a serial-to-Ethernet
 * converter). Keepalive is on so a switched-off device behind a switch is noticed.
 *
 * @example
 *   const connector = tcpConnector({ host: '10.0.0.7', port: 4001 });
 */
import { connect, type Socket } from 'node:net';
import type { Connection, Connector } from './connection.ts';

export function tcpConnector(settings: { host: string; port: number; connectTimeoutMs?: number }): Connector {
  const address = `${settings.host}:${settings.port}`;
  return {
    address,
    async open(): Promise<Connection> {
      const socket: Socket = await new Promise((resolve, reject) => {
        const s = connect({ host: settings.host, port: settings.port });
        const timer = setTimeout(() => {
          s.destroy();
          reject(new Error(`no answer from ${address} within ${settings.connectTimeoutMs ?? 3000} ms; is the device on the network?`));
        }, settings.connectTimeoutMs ?? 3000);
        s.once('connect', () => {
          clearTimeout(timer);
          s.setKeepAlive(true, 5000);
          s.setNoDelay(true);
          resolve(s);
        });
        s.once('error', (err) => {
          clearTimeout(timer);
          reject(new Error(`cannot connect to ${address}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
        });
      });
      let closing = false;
      let closeListener: ((reason: string) => void) | undefined;
      let lastError = '';
      socket.on('error', (err) => (lastError = (err as NodeJS.ErrnoException).code ?? err.message));
      socket.on('close', () => {
        if (!closing) closeListener?.(`connection to ${address} closed${lastError ? ` (${lastError})` : ' by the device'}`);
      });
      return {
        address,
        onData: (listener) => socket.on('data', listener),
        onClose: (listener) => (closeListener = listener),
        write: (bytes) => new Promise<void>((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve()))),
        close: () =>
          new Promise<void>((resolve) => {
            closing = true;
            if (socket.destroyed) return resolve();
            socket.once('close', () => resolve());
            socket.end();
            setTimeout(() => socket.destroy(), 200).unref();
          }),
      };
    },
  };
}
