/** Reads flows/*.yaml from disk and validates them. The only file of the engine that does I/O. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { formatFlowError, type FlowError } from './flow-error.js';
import type { Flow } from './flow-schema.js';
import { validateFlow, type ValidateOptions, type ValidateResult } from './validate-flow.js';

/** Thrown at boot when any flow is broken; the message lists every error, one a line. */
export class FlowLoadError extends Error {
  constructor(readonly errors: FlowError[]) {
    super(`broken flows:\n${errors.map(formatFlowError).join('\n')}`);
    this.name = 'FlowLoadError';
  }
}

/** Reads and validates one flow file; `file` in errors is `path` as given (or relative to `root`). */
export function loadFlowFile(path: string, opts: Omit<ValidateOptions, 'file'> & { root?: string }): ValidateResult {
  const file = opts.root ? relative(opts.root, path) : path;
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'), { uniqueKeys: true });
  } catch (e) {
    if (!(e instanceof YAMLParseError)) throw e;
    return { ok: false, errors: [{ file, path: [], message: `not valid YAML: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}` }] };
  }
  const result = validateFlow(raw, { ...opts, file });
  if (result.ok && result.flow.id !== basename(path).replace(/\.ya?ml$/, '')) {
    return { ok: false, errors: [{ file, flowId: result.flow.id, path: ['id'], message: `must match the file name "${basename(path)}"` }] };
  }
  return result;
}

/** Loads every flows/*.yaml; throws FlowLoadError listing all problems so the service refuses to start. */
export function loadFlows(dir: string, opts: Omit<ValidateOptions, 'file'> & { root?: string }): Map<string, Flow> {
  const flows = new Map<string, Flow>();
  const errors: FlowError[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const result = loadFlowFile(join(dir, name), opts);
    if (result.ok) flows.set(result.flow.id, result.flow);
    else errors.push(...result.errors);
  }
  if (errors.length) throw new FlowLoadError(errors);
  return flows;
}
