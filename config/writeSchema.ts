/** `npm run schema`: writes config/schema.json from the zod schema. A test fails when it is stale. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from './jsonSchema.ts';

const target = fileURLToPath(new URL('./schema.json', import.meta.url));
writeFileSync(target, configJsonSchema());
console.log(`wrote ${target}`);
