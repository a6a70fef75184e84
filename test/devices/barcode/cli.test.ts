import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { barcodeCommand } from '../../../devices/barcode/cli.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await barcodeCommand(argv, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('darkstore-gateway barcode', () => {
  it('prints the documented JSON and returns 0', async () => {
    const { code, out } = await run(']C101095011015300031726123110LOT42');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['input', 'aim', 'symbology', 'form', 'gs1', 'gtin', 'gtinClass', 'sscc', 'elements', 'hri', 'variableMeasure', 'storeLabel', 'text', 'warnings']);
    expect(json.gtin).toBe('09501101530003');
    expect(json.elements[1]).toEqual({ ai: '17', title: 'USE BY or EXPIRY', raw: '261231', value: '2026-12-31', position: 20 });
    expect(json.elements[2].value).toBe('LOT42');
  });

  it('prints the error with position and reason and returns 1', async () => {
    expect(await run(']C101095011015300041726123110LOT42')).toEqual({ code: 1, out: 'error: position 19, AI 01: GTIN check digit is 4, expected 3' });
  });

  it('--hr prints the interpretation, --market picks the layout, --fnc1 adds a substitute', async () => {
    const { code, out } = await run('--hr', '--market', 'se', '--fnc1', '~', ']d2010231234561234210LOT~21S1');
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      '(01)02312345612342(10)LOT(21)S1',
      '(01) GTIN: 02312345612342',
      '(10) BATCH/LOT: LOT',
      '(21) SERIAL: S1',
      'variable measure (SE): item 23123456, weight 1.234 kg',
    ]);
  });

  it('refuses bad arguments with usage and 1; --help returns 0', async () => {
    expect((await run()).code).toBe(1);
    expect((await run('--market', 'XX', '123')).out).toMatch(/unknown market "XX"/);
    expect((await run('a', 'b')).code).toBe(1);
    expect((await run('--fnc1')).out).toMatch(/--fnc1 needs a value/);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: darkstore-gateway barcode DATA/);
  });

  it('runs on its own through tsx with the exit status the shell sees', () => {
    const ok = execFileSync('npx', ['tsx', 'devices/barcode/cli.ts', ']C101095011015300031726123110LOT42'], { encoding: 'utf8' });
    expect(JSON.parse(ok).gtin).toBe('09501101530003');
    const bad = spawnSync('npx', ['tsx', 'devices/barcode/cli.ts', ']C101095011015300041726123110LOT42'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('GTIN check digit is 4, expected 3');
  });
});
