import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

describe('docs/oms-api.openapi.yaml', () => {
  it('is valid YAML describing the three calls of the API with every schema it references', () => {
    const doc = parse(readFileSync('docs/oms-api.openapi.yaml', 'utf8')) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown>; responses: Record<string, unknown>; parameters: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toEqual(['/v1/stores/{store}/events', '/v1/stores/{store}/feed', '/v1/stores/{store}/inventory']);
    expect(Object.keys(doc.paths['/v1/stores/{store}/events']!)).toEqual(['post']);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    for (const [, section, name] of refs) expect((doc.components as Record<string, Record<string, unknown>>)[section!]![name!], `${section}/${name}`).toBeDefined();
  });
});
