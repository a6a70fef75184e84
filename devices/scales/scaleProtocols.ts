/**
 * Scale protocol names as they appear in config (`protocol:`), to implementations.
 *
 * @example
 *   scaleProtocolFor(device); // mtSicsProtocol() for { protocol: 'mt-sics' }
 */
import type { DeviceConfig } from '../../config/schema.ts';
import { delimiterOf } from '../transports/connectorFor.ts';
import { configBytes } from '../frames.ts';
import { casProtocol } from './cas.ts';
import { mtSicsProtocol } from './mtSics.ts';
import { regexProtocol } from './regexScale.ts';
import type { ScaleProtocol } from './scaleProtocol.ts';
import { toledoProtocol } from './toledoContinuous.ts';

export const streamScaleProtocols = ['mt-sics', 'toledo', 'cas', 'regex'] as const;

export function scaleProtocolFor(device: DeviceConfig): ScaleProtocol {
  const name = device.protocol ?? 'mt-sics';
  switch (name) {
    case 'mt-sics':
      return mtSicsProtocol();
    case 'toledo':
      return toledoProtocol({ checksum: device.scale.checksum });
    case 'cas':
      return casProtocol();
    case 'regex':
      if (!device.scale.pattern) throw new Error(`scale "${device.id}": protocol "regex" needs scale.pattern, e.g. "(?<weight>-?[0-9.]+)\\\\s*(?<unit>kg|g)"`);
      return regexProtocol({ pattern: device.scale.pattern, unit: device.scale.unit, delimiter: delimiterOf(device) });
    default:
      throw new Error(`scale "${device.id}": unknown protocol "${name}"; use one of ${streamScaleProtocols.join(', ')} (or hid-pos over hid)`);
  }
}

export { configBytes };
