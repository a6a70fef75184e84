/** The JSON Schema of the config, generated from the zod schema (for editor completion). */
import { z } from 'zod';
import { configSchema } from './schema.ts';

export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'darkstore-gateway config' }, null, 2)}\n`;
}
