/**
 * Reads a YAML config, fills in `${ENV_VAR}` references, validates it against the schema and
 * reports every problem with its file, line and column. Never returns a half-valid config.
 *
 * @example
 *   const config = loadConfigFile('config/examples/store.yaml');
 *   console.log(config.store.id);
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError, formatPath, type ConfigProblem } from './configError.ts';
import { configSchema, type GatewayConfig } from './schema.ts';

export interface LoadOptions {
  /** Environment for `${VAR}` references; defaults to process.env. */
  env?: Record<string, string | undefined>;
}

export function loadConfigFile(file: string, options: LoadOptions = {}): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError([{ file, line: 0, column: 0, path: '', message: `cannot read the config: ${reason}; pass --config FILE or set DSGW_CONFIG` }]);
  }
  return loadConfigText(text, file, options);
}

export function loadConfigText(text: string, file = 'config.yaml', options: LoadOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  const shortName = basename(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({ file: shortName, ...at(e.pos[0]), path: '', message: `YAML syntax: ${firstLine(e.message)}` })),
    );
  }

  const problems: ConfigProblem[] = [];
  substituteEnv(doc, env, (node, path, message) => problems.push({ file: shortName, ...at(node.range?.[0] ?? 0), path: formatPath(path), message }));
  if (problems.length > 0) throw new ConfigError(problems);

  const data = doc.toJS() ?? {};
  const result = configSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;

  for (const issue of result.error.issues) {
    const { node, keyNode } = locate(doc, issue.path, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
    const offset = keyNode?.range?.[0] ?? node?.range?.[0] ?? 0;
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    problems.push({ file: shortName, ...at(offset), path: formatPath(path), message: describeIssue(issue, doc, issue.path) });
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  throw new ConfigError(problems);
}

const envRef = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${VAR}` and `${VAR:-default}` in every string scalar, so secrets stay out of the file. */
function substituteEnv(doc: Document, env: Record<string, string | undefined>, problem: (node: Node, path: PropertyKey[], message: string) => void): void {
  const visit = (node: unknown, path: PropertyKey[]) => {
    if (isMap(node)) {
      for (const pair of node.items) visit(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : '?']);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      node.value = node.value.replace(envRef, (_m, name: string, fallback: string | undefined) => {
        const value = env[name] ?? fallback;
        if (value === undefined) {
          problem(node, path, `environment variable ${name} is not set; export it, or write \${${name}:-default}`);
          return '';
        }
        return value;
      });
    }
  };
  visit(doc.contents, []);
}

/** Finds the YAML node at a zod path (or its nearest existing parent) and, optionally, a key node in it. */
function locate(doc: Document, path: readonly PropertyKey[], key?: string): { node?: Node; keyNode?: Node } {
  let node: unknown = doc.contents;
  for (const part of path) {
    let next: unknown;
    if (isMap(node)) next = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part))?.value;
    else if (isSeq(node) && typeof part === 'number') next = node.items[part];
    if (next === undefined || next === null) break;
    node = next;
  }
  let keyNode: Node | undefined;
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    keyNode = pair?.key as Node | undefined;
  }
  return { node: node as Node | undefined, keyNode };
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, path: readonly PropertyKey[]): string {
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return `required, expected ${article(issue.expected)}`;
      return `expected ${article(issue.expected)}, found ${found(input)}`;
    }
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const allowed = allowedKeys(doc, path);
      const hint = closest(key, allowed);
      return `unknown key "${key}"${hint ? `; did you mean "${hint}"?` : ''}${issue.keys.length > 1 ? ` (also: ${issue.keys.slice(1).join(', ')})` : ''}`;
    }
    case 'invalid_value': {
      const expected = issue.values.map((v) => JSON.stringify(v)).join(' or ');
      return input === undefined ? `required, expected ${expected}` : `expected ${expected}, found ${found(input)}`;
    }
    case 'invalid_union':
      if ((issue as { note?: string }).note === 'No matching discriminator' || issue.errors.length === 0) {
        const value = issue.discriminator && input && typeof input === 'object' ? (input as Record<string, unknown>)[issue.discriminator] : input;
        const options = discriminatorValues(path);
        return `${value === undefined ? 'required' : `unknown ${issue.discriminator ?? 'kind'} ${found(value)}`}${options ? `, expected ${options}` : ''}`;
      }
      return issue.message;
    case 'too_small':
      return `expected ${issue.origin === 'string' ? `at least ${issue.minimum} characters` : issue.origin === 'array' ? `at least ${issue.minimum} items` : `at least ${issue.minimum}`}, found ${found(input)}`;
    case 'too_big':
      return `expected ${issue.origin === 'string' ? `at most ${issue.maximum} characters` : issue.origin === 'array' ? `at most ${issue.maximum} items` : `at most ${issue.maximum}`}, found ${found(input)}`;
    case 'invalid_format':
      return `expected ${issue.message.replace(/^Invalid string: must match pattern .*$/, 'a different format')}, found ${found(input)}`;
    default:
      return issue.message;
  }
}

/** Allowed values of the discriminated unions in the schema, for the error message. */
function discriminatorValues(path: readonly PropertyKey[]): string | undefined {
  const last = path.filter((p) => typeof p === 'string');
  const parent = last[last.length - 2];
  if (parent === 'transport') return '"serial", "hid", "mqtt", "tcp" or "zigbee"';
  if (parent === 'broker') return '"embedded" or "external"';
  return undefined;
}

function allowedKeys(_doc: Document, _path: readonly PropertyKey[]): string[] {
  // Zod does not report the allowed keys; a short fixed list of common ones covers typos well.
  return commonKeys;
}

const commonKeys = [
  'store', 'id', 'name', 'timezone', 'language', 'dataDir', 'durability', 'logging', 'level', 'broker', 'mode', 'host', 'port',
  'tls', 'cert', 'key', 'ca', 'url', 'username', 'password', 'clientId', 'topicRoot', 'http', 'devices', 'class', 'transport',
  'protocol', 'secret', 'secretHash', 'enabled', 'type', 'path', 'match', 'vendorId', 'productId', 'serialNumber', 'baudRate',
  'dataBits', 'stopBits', 'parity', 'delimiter', 'ieee', 'stations', 'kind', 'zone', 'requireBinScan', 'layout', 'bins',
  'batch', 'maxOrders', 'requireToteScan', 'putWall', 'slot',
  'pickFace', 'min', 'max', 'light', 'device', 'address', 'cloud', 'token', 'caFile', 'intervals', 'pushMs', 'pullMs',
  'snapshotMs', 'batchSize', 'barcodes', 'tokens', 'role', 'tokenHash', 'fnc1Substitutes', 'market', 'customLayouts', 'storeLabels', 'sscc', 'companyPrefix', 'extensionDigit',
];

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function found(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'an empty value';
  if (typeof input === 'string') return JSON.stringify(input);
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return String(input);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
