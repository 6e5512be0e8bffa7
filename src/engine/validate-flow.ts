import type { Locale } from '../i18n/i18n.js';
import type { FlowError } from './flow-error.js';
import { issuePath } from './flow-error.js';
import { flowHeaderSchema, flowSchema, MAX_STEPS_PER_FLOW, stepAt, type Flow } from './flow-schema.js';
import { resolveKey } from './normalise.js';
import { isStepType, STEP_TYPES, stepDef, type Step } from './step-types/index.js';

/** What validation needs besides the flow. `hasKey` answers from the loaded templates; no I/O here. */
export interface ValidateOptions {
  file?: string;
  /** Locales every text must exist in (the loader passes LOCALES). */
  locales: readonly Locale[];
  hasKey: (locale: Locale, key: string) => boolean;
  /** Names of the dynamic option sources the service provides; unchecked when absent. */
  optionSources?: readonly string[];
  /** Names of the checks the service runs on an answer (a text step's `check`); unchecked when absent. */
  checks?: readonly string[];
}

/** A valid flow, or every problem found. @example { "ok": false, "errors": [{ "path": ["start"], "message": "unknown step \"x\"" }] } */
export type ValidateResult = { ok: true; flow: Flow } | { ok: false; errors: FlowError[] };

const stepLabel = (id: string) => `step "${id}"`;

/** The field a waiting step stores its answer in. */
export function fieldOf(stepId: string, step: Step): string {
  return 'field' in step && step.field ? step.field : stepId;
}

/** Pass 1: the shape, with zod; each step parsed by the schema of its type. */
function checkShape(raw: unknown, err: (path: string[], message: string) => void): Flow | undefined {
  const header = flowHeaderSchema.safeParse(raw);
  if (!header.success) {
    for (const i of header.error.issues) {
      const [first, id, ...rest] = i.path;
      const path = first === 'steps' && id !== undefined ? [stepLabel(String(id)), issuePath(rest)] : [issuePath(i.path)];
      const message = i.code === 'invalid_key' ? (i.issues[0]?.message ?? i.message) : i.message;
      err(path.filter((p) => p !== ''), message);
    }
    return undefined;
  }
  let ok = true;
  for (const [id, step] of Object.entries(header.data.steps)) {
    if (!isStepType(step.type)) {
      err([stepLabel(id), 'type'], `unknown step type "${step.type}"`);
      ok = false;
      continue;
    }
    const parsed = STEP_TYPES[step.type].schema.safeParse(step);
    if (!parsed.success) ok = false;
    for (const i of parsed.error?.issues ?? []) err([stepLabel(id), issuePath(i.path)].filter((p) => p !== ''), i.message);
  }
  return ok ? flowSchema.parse(raw) : undefined;
}

/** Pass 2: references, reachability, texts. */
function checkReferences(flow: Flow, opts: ValidateOptions, err: (path: string[], message: string) => void): void {
  const ids = Object.keys(flow.steps);
  if (ids.length > MAX_STEPS_PER_FLOW) err(['steps'], `${ids.length} steps, more than ${MAX_STEPS_PER_FLOW}`);
  if (!stepAt(flow, flow.start)) err(['start'], `unknown step "${flow.start}"`);
  for (const field of ['intro', 'cancelled'] as const) {
    const value = flow[field];
    if (!value) continue;
    const key = resolveKey(flow.namespace, value);
    const missing = opts.locales.filter((l) => !opts.hasKey(l, key));
    if (missing.length) err([field], `missing text "${key}" in ${missing.join(', ')}`);
  }
  const fields = new Map<string, string>();
  for (const [id, step] of Object.entries(flow.steps)) {
    if (stepDef(step).waits && step.type !== 'review') fields.set(fieldOf(id, step), id);
  }
  const edges = new Map<string, string[]>();
  for (const [id, step] of Object.entries(flow.steps)) {
    const def = stepDef(step);
    const targets: string[] = [];
    for (const ref of def.targets(step)) {
      if (stepAt(flow, ref.target)) targets.push(ref.target);
      else err([stepLabel(id), ref.path], `unknown step "${ref.target}"`);
    }
    if (step.type === 'review') step.fields.forEach((f) => { const s = f.step ?? fields.get(f.field); if (s) targets.push(s); });
    edges.set(id, targets);
    const forward = step as { next?: string; branches?: unknown[] };
    if (def.waits && !forward.next && !forward.branches?.length) err([stepLabel(id)], 'needs next or branches');
    const known = { ...(opts.optionSources ? { optionSources: opts.optionSources } : {}), ...(opts.checks ? { checks: opts.checks } : {}) };
    for (const p of def.check(step, { fields: new Set(fields.keys()), ...known })) {
      err([stepLabel(id), p.path], p.message);
    }
    const clears = 'clears' in step ? (step.clears ?? []) : [];
    clears.forEach((f, i) => { if (!fields.has(f)) err([stepLabel(id), `clears[${i}]`], `no step asks field "${f}"`); });
    for (const key of new Set(def.keys(step).map((k) => resolveKey(flow.namespace, k)))) {
      const missing = opts.locales.filter((l) => !opts.hasKey(l, key));
      if (missing.length) err([stepLabel(id)], `missing text "${key}" in ${missing.join(', ')}`);
    }
  }
  const seen = new Set<string>();
  const queue = stepAt(flow, flow.start) ? [flow.start] : [];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(edges.get(id) ?? []));
  }
  for (const id of ids) if (!seen.has(id) && stepAt(flow, flow.start)) err([stepLabel(id)], `unreachable from start "${flow.start}"`);
}

/** Validates a parsed flow file in two passes: shape (zod), then references and texts. */
export function validateFlow(raw: unknown, opts: ValidateOptions): ValidateResult {
  const rawId = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : undefined;
  const errors: FlowError[] = [];
  const err = (path: string[], message: string) =>
    errors.push({ ...(opts.file ? { file: opts.file } : {}), ...(rawId !== undefined ? { flowId: rawId } : {}), path, message });
  const flow = checkShape(raw, err);
  if (!flow) return { ok: false, errors };
  checkReferences(flow, opts, err);
  return errors.length ? { ok: false, errors } : { ok: true, flow };
}
