/**
 * Label templates a store admin can edit: ZPL files with `{{field}}` placeholders in the
 * printer's templates folder (default templates/labels: bag.zpl, bin.zpl, test.zpl). Field
 * values lose ZPL's control characters (^ and ~) so a customer name cannot inject commands.
 * A placeholder with no value is an error that names the template and the field.
 *
 * @example
 *   const zpl = await renderLabelFile('templates/labels', 'bag', { store: 'Berlin-3', shortCode: 'K7Q', orderId: 'O-1', itemCount: 4, sscc: '373500530000000002' });
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type LabelFields = Record<string, string | number>;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** ZPL field data must not contain the format's control characters ^ and ~. */
export const zplField = (text: string) => text.replace(/[\^~]/g, ' ');

export function renderLabel(template: string, fields: LabelFields, name = 'template'): string {
  const missing = new Set<string>();
  const out = template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, (_, key: string) => {
    const value = fields[key];
    if (value === undefined) {
      missing.add(key);
      return '';
    }
    return zplField(String(value));
  });
  if (missing.size > 0) {
    const list = [...missing].map((k) => `"${k}"`).join(', ');
    throw new TemplateError(`label template ${name}: no value for ${list}; pass ${missing.size > 1 ? 'them' : 'it'} or remove the placeholder from the template`);
  }
  return out;
}

export async function renderLabelFile(folder: string, name: string, fields: LabelFields): Promise<string> {
  const file = join(folder, `${name}.zpl`);
  let template: string;
  try {
    template = await readFile(file, 'utf8');
  } catch (err) {
    throw new TemplateError(`label template "${file}" cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check printer.templates in the config`);
  }
  return renderLabel(template, fields, `"${file}"`);
}
