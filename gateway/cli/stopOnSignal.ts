/**
 * Runs until Ctrl-C (SIGINT) or SIGTERM, then stops cleanly; a second signal, or a stop that
 * takes longer than `watchdogMs`, exits at once. Resolves with the exit code.
 *
 * @example
 *   return stopOnSignal({ stop: () => gateway.stop(), announce: (s) => `${s}: stopping...`, watchdogMs: 5000 });
 */
export function stopOnSignal(options: { stop: () => Promise<void>; announce: (signal: string) => string; watchdogMs: number; watchdogMessage?: string }): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = async (signal: string) => {
      if (stopping) {
        console.error(`${signal} again: exiting now without a clean stop.`);
        process.exit(130);
      }
      stopping = true;
      console.log(options.announce(signal));
      const watchdog = setTimeout(() => {
        console.error(options.watchdogMessage ?? `stop took longer than ${options.watchdogMs / 1000} s; exiting anyway.`);
        process.exit(1);
      }, options.watchdogMs);
      watchdog.unref();
      await options.stop();
      console.log('stopped.');
      resolve(0);
    };
    process.once('SIGINT', () => void onSignal('SIGINT'));
    process.once('SIGTERM', () => void onSignal('SIGTERM'));
  });
}
