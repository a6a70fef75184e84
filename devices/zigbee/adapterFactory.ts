/**
 * The one seam between herdsman's Controller and the radio. The Controller builds its adapter
 * with the static `Adapter.create` (serial discovery, then the firmware's driver) and offers no
 * way to hand one in; to run the real Controller over a stand-in adapter (tests, a simulator),
 * `create` is replaced for the duration of `controller.start()` and put back after. herdsman
 * keeps its models in module-wide state, so there is one coordinator per process anyway.
 *
 * @example
 *   await withAdapterFactory(async (network, serial, backupPath, options) => new StandInAdapter(network, serial, backupPath, options), () => controller.start());
 */
import { Adapter } from 'zigbee-herdsman/dist/adapter/adapter.js';

export type AdapterFactory = (...args: Parameters<typeof Adapter.create>) => Promise<Adapter>;

export async function withAdapterFactory<T>(factory: AdapterFactory | undefined, run: () => Promise<T>): Promise<T> {
  if (!factory) return run();
  const original = Adapter.create;
  Adapter.create = factory;
  try {
    return await run();
  } finally {
    Adapter.create = original;
  }
}
