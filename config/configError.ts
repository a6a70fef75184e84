/** A config problem, located in the file: `store.yaml:14:9 devices[2].transport.baudRate: ...`. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Key path as written in docs, e.g. `devices[2].transport.baudRate`. */
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where} ${p.message}`;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** `['devices', 2, 'transport']` -> `devices[2].transport` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
