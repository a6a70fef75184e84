/**
 * HID keyboard-wedge scanners: they "type" the barcode as a USB boot keyboard, one 8-byte
 * report per key change: [modifiers, reserved, key1..key6]. We read them through node-hid
 * (no focus, no OS keymap) and map usage ids to characters for the layout the scanner is set
 * to: US or German. Shift (0x02/0x20) and AltGr (right Alt, 0x40; German @ { [ ] } \ ~ |) are
 * honoured. Enter ends a scan. FNC1 arrives as whatever substitute the scanner is set to type
 * (e.g. "~"); the decoder turns it back into GS through `barcodes.fnc1Substitutes`.
 *
 * @example
 *   const wedge = new KeyboardWedgeReader('us');
 *   wedge.push(Buffer.from([0, 0, 0x1e, 0, 0, 0, 0, 0])); // key "1" down
 *   wedge.push(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]));    // released
 *   wedge.push(Buffer.from([0, 0, 0x28, 0, 0, 0, 0, 0])); // Enter -> [{ ok: true, value: '1' }]
 */
import type { Frame } from '../frames.ts';

export type KeyboardLayout = 'us' | 'de';

const SHIFT = 0x02 | 0x20;
const ALTGR = 0x40;
const ENTER = 0x28;
const KEYPAD_ENTER = 0x58;

/** [plain, shifted, altgr?] per usage id. */
type KeyMap = Record<number, [string, string, string?]>;

function letters(swapYZ: boolean): KeyMap {
  const map: KeyMap = {};
  for (let i = 0; i < 26; i++) {
    let c = String.fromCharCode(97 + i);
    if (swapYZ && c === 'y') c = 'z';
    else if (swapYZ && c === 'z') c = 'y';
    map[0x04 + i] = [c, c.toUpperCase()];
  }
  return map;
}

const common: KeyMap = { 0x2b: ['\t', '\t'], 0x2c: [' ', ' '] };
for (let k = 0x59; k <= 0x61; k++) common[k] = [String(k - 0x58), String(k - 0x58)]; // keypad 1-9
common[0x62] = ['0', '0'];

const us: KeyMap = {
  ...letters(false),
  ...common,
  0x1e: ['1', '!'], 0x1f: ['2', '@'], 0x20: ['3', '#'], 0x21: ['4', '$'], 0x22: ['5', '%'],
  0x23: ['6', '^'], 0x24: ['7', '&'], 0x25: ['8', '*'], 0x26: ['9', '('], 0x27: ['0', ')'],
  0x2d: ['-', '_'], 0x2e: ['=', '+'], 0x2f: ['[', '{'], 0x30: [']', '}'], 0x31: ['\\', '|'],
  0x33: [';', ':'], 0x34: ["'", '"'], 0x35: ['`', '~'], 0x36: [',', '<'], 0x37: ['.', '>'], 0x38: ['/', '?'],
};

const de: KeyMap = {
  ...letters(true),
  ...common,
  0x14: ['q', 'Q', '@'],
  0x1e: ['1', '!'], 0x1f: ['2', '"'], 0x20: ['3', '§'], 0x21: ['4', '$'], 0x22: ['5', '%'],
  0x23: ['6', '&'], 0x24: ['7', '/', '{'], 0x25: ['8', '(', '['], 0x26: ['9', ')', ']'], 0x27: ['0', '=', '}'],
  0x2d: ['ß', '?', '\\'], 0x2e: ['´', '`'], 0x2f: ['ü', 'Ü'], 0x30: ['+', '*', '~'], 0x32: ['#', "'"],
  0x33: ['ö', 'Ö'], 0x34: ['ä', 'Ä'], 0x35: ['^', '°'], 0x36: [',', ';'], 0x37: ['.', ':'], 0x38: ['-', '_'],
  0x64: ['<', '>', '|'],
};

const layouts: Record<KeyboardLayout, KeyMap> = { us, de };

export class KeyboardWedgeReader {
  private held = new Set<number>();
  private text = '';
  private bad: string[] = [];

  constructor(private readonly layout: KeyboardLayout) {}

  push(report: Buffer): Frame<string>[] {
    if (report.length !== 8) return [{ ok: false, reason: `report is ${report.length} bytes, a boot keyboard report is 8`, bytes: report }];
    const modifiers = report[0]!;
    const keys = [...report.subarray(2, 8)].filter((k) => k !== 0);
    if (keys.includes(0x01)) return [{ ok: false, reason: 'keyboard rollover error (too many keys at once)', bytes: report }];
    const frames: Frame<string>[] = [];
    for (const key of keys) {
      if (this.held.has(key)) continue; // still held from the previous report: not a new press
      if (key === ENTER || key === KEYPAD_ENTER) {
        if (this.bad.length > 0) {
          frames.push({ ok: false, reason: `unknown key code(s) ${this.bad.join(', ')} for the ${this.layout.toUpperCase()} layout in scan ${JSON.stringify(this.text)}`, bytes: report });
        } else if (this.text !== '') {
          frames.push({ ok: true, value: this.text, bytes: report });
        }
        this.text = '';
        this.bad = [];
        continue;
      }
      const entry = layouts[this.layout][key];
      const char = !entry ? undefined : modifiers & ALTGR ? entry[2] : modifiers & SHIFT ? entry[1] : entry[0];
      if (char === undefined) this.bad.push(`0x${key.toString(16).padStart(2, '0')}${modifiers ? ` (modifiers 0x${modifiers.toString(16)})` : ''}`);
      else this.text += char;
    }
    this.held = new Set(keys);
    return frames;
  }

  reset(): void {
    this.held.clear();
    this.text = '';
    this.bad = [];
  }
}
