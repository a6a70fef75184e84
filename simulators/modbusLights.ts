/**
 * PICK-IQ-style pick-to-light modules on a simulated Modbus line: what each module shows, read
 * back from the registers the gateway wrote, and button presses latched until the gateway reads
 * them (reading clears the latch, as on the modules).
 *
 * @example
 *   const lights = new ModbusLightsSimulator({ units: [1, 2, 3] });
 *   await lights.slave.attachPty('/tmp/dsgw-lights');   // or lights.slave.listenTcp()
 *   lights.shown(2);          // { color: 'green', blink: false, text: '3', beeps: 1 }
 *   lights.press(2, 'confirm');
 */
import { lightButtons, lightColors, type LightButton, type LightColor } from '../devices/lights/lightModel.ts';
import { pickIqProfile } from '../devices/lights/modbusLightProfile.ts';
import { ModbusSlave } from './modbusSlave.ts';

export interface ShownLight {
  color: LightColor;
  blink: boolean;
  text: string;
  /** How many times the gateway asked this module to beep. */
  beeps: number;
}

export class ModbusLightsSimulator {
  readonly slave: ModbusSlave;
  private readonly map = pickIqProfile;

  constructor(options: { units: number[] }) {
    this.slave = new ModbusSlave({ units: options.units });
    this.slave.onRead((unit, register, kind) => {
      if (kind === 'holding' && register === this.map.buttons) this.slave.setHolding(unit, this.map.buttons, 0);
    });
  }

  shown(unit: number): ShownLight {
    const regs = this.slave.holding(unit);
    const code = regs[this.map.color] ?? 0;
    let text = '';
    for (let i = 0; i < this.map.textRegisters; i++) {
      const word = regs[this.map.text + i] ?? 0;
      text += String.fromCharCode(word >> 8, word & 0xff);
    }
    const beeps = this.slave.writes.filter((w) => w.unit === unit && w.register <= this.map.beep && w.register + w.values.length > this.map.beep && w.values[this.map.beep - w.register] === 1).length;
    return { color: lightColors[this.map.colorCodes.indexOf(code)] ?? 'off', blink: regs[this.map.blink] === 1, text: text.replace(/\0+$/, ''), beeps };
  }

  press(unit: number, button: LightButton): void {
    const bit = 1 << lightButtons.indexOf(button);
    this.slave.setHolding(unit, this.map.buttons, (this.slave.holding(unit)[this.map.buttons] ?? 0) | bit);
  }

  /** Power-cycles a module: it forgets what it showed (all registers 0) and answers again. */
  powerCycle(unit: number): void {
    this.slave.holding(unit).fill(0);
  }
}
