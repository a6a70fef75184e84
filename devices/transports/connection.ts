/**
 * What every byte transport (serial, TCP, HID) gives a driver once it is open: chunks in,
 * bytes out, and one notice when it goes away. A `Connector` opens one; `ReconnectingLink`
 * keeps one open.
 *
 * @example
 *   const connector: Connector = serialConnector({ path: '/dev/ttyUSB0', baudRate: 9600, ... });
 *   const conn = await connector.open(); // rejects with a reason when the device is not there
 *   conn.onData((chunk) => console.log(chunk));
 */
export interface Connection {
  /** Where the device was found, e.g. "/dev/ttyUSB2" after a re-enumeration. */
  readonly address: string;
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once, when the connection ends for any reason other than `close()`. */
  onClose(listener: (reason: string) => void): void;
  write(bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface Connector {
  /** Where the device is expected, for messages: "/dev/ttyUSB0", "usb 0c2e:0b61", "10.0.0.7:4001". */
  readonly address: string;
  open(): Promise<Connection>;
}
