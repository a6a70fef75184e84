/**
 * How a Modbus pick-to-light module lays out its registers, and the built-in profile of a
 * PICK-IQ-style module (one module per bin, unit ids 1-247 on one RS-485 line, 19200 baud).
 * Every register can be moved in config (`light.registers`) for a module with another map.
 *
 * PICK-IQ profile, holding registers of each unit:
 *   0 colour (0 off, 1 red, 2 green, 3 blue, 4 yellow, 5 white, 6 cyan, 7 magenta)
 *   1 blink (0/1)   2 beep (write 1: beep once)   3-6 text, 8 ASCII characters, 2 per register
 *   16 buttons pressed since the last read (bit 0 confirm, 1 short, 2 plus, 3 minus; reading clears it)
 *
 * @example
 *   const map = registerMapOf(device.light); // the profile with the device's overrides on top
 *   encodeLight(map, { address: 3, color: 'green', blink: true, text: '2' }); // [2, 1, 0, 0x3200, 0, 0, 0]
 *   decodeButtons(5); // ['confirm', 'plus']
 */
import { lightButtons, lightColors, type LightButton, type LightState } from './lightModel.ts';

export interface LightRegisterMap {
  /** First register of the block written per light: colour, blink, beep, text. */
  color: number;
  blink: number;
  beep: number;
  text: number;
  /** Text registers (2 characters each); 0 for a module without a display. */
  textRegisters: number;
  /** The button latch register. */
  buttons: number;
  /** Colour codes, in the order of `lightColors`. */
  colorCodes: number[];
}

export const pickIqProfile: LightRegisterMap = {
  color: 0,
  blink: 1,
  beep: 2,
  text: 3,
  textRegisters: 4,
  buttons: 16,
  colorCodes: [0, 1, 2, 3, 4, 5, 6, 7],
};

export const lightProfiles = { 'pick-iq': pickIqProfile } as const;
export type LightProfileName = keyof typeof lightProfiles;

/** The profile with the config's overrides on top. */
export function registerMapOf(settings: { profile: LightProfileName; registers?: Partial<LightRegisterMap> }): LightRegisterMap {
  return { ...lightProfiles[settings.profile], ...(settings.registers ?? {}) };
}

/**
 * The registers of one light, written in one request from the lowest register of the block.
 * Registers inside the block that belong to nothing keep 0. Returns the start register too.
 */
export function encodeLight(map: LightRegisterMap, state: LightState): { start: number; values: number[] } {
  const start = Math.min(map.color, map.blink, map.beep, map.textRegisters > 0 ? map.text : map.color);
  const end = Math.max(map.color, map.blink, map.beep, map.textRegisters > 0 ? map.text + map.textRegisters - 1 : map.color);
  const values = new Array<number>(end - start + 1).fill(0);
  const dark = state.color === 'off';
  values[map.color - start] = map.colorCodes[lightColors.indexOf(state.color)] ?? 0;
  values[map.blink - start] = !dark && state.blink ? 1 : 0;
  values[map.beep - start] = !dark && state.beep ? 1 : 0;
  const text = dark ? '' : (state.text ?? '').slice(0, map.textRegisters * 2);
  for (let i = 0; i < map.textRegisters; i++) {
    const hi = text.charCodeAt(i * 2) || 0;
    const lo = text.charCodeAt(i * 2 + 1) || 0;
    values[map.text - start + i] = ((hi & 0xff) << 8) | (lo & 0xff);
  }
  return { start, values };
}

/** The buttons set in a latch register value. */
export function decodeButtons(value: number): LightButton[] {
  return lightButtons.filter((_, bit) => (value & (1 << bit)) !== 0);
}
