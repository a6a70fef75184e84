/** Turns EADDRINUSE into one line that names the port and the setting that changes it. */
export class PortInUseError extends Error {
  constructor(host: string, port: number, setting: string) {
    super(`port ${port} on ${host} is already in use; stop what holds it (e.g. "ss -ltnp | grep :${port}") or change ${setting} in the config`);
    this.name = 'PortInUseError';
  }
}

export function explainListenError(err: unknown, host: string, port: number, setting: string): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return new PortInUseError(host, port, setting);
  if (code === 'EACCES') return new Error(`no permission to listen on ${host}:${port}; use a port above 1023 or change ${setting}`);
  if (code === 'EADDRNOTAVAIL') return new Error(`address ${host} is not on this machine; change the host of ${setting}`);
  return err instanceof Error ? err : new Error(String(err));
}
