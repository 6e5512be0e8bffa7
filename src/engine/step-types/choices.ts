import { z } from 'zod';
import type { EngineChoice, SummaryLine } from '../events.js';
import { normaliseWord, resolveKey, toHalfWidth } from '../normalise.js';
import { optionSchema } from './common.js';
import type { AnswerOutcome, EnterOutcome, StepContext, StepProblem } from './step-def.js';

/** Fields shared by chooseOne and chooseMany: static `options` or a dynamic source named by `optionsFrom`. */
export const choiceFields = {
  options: z.array(optionSchema).optional(),
  optionsFrom: z.string().optional(),
};

type ChoiceStep = { options?: z.infer<typeof optionSchema>[]; optionsFrom?: string };

/** An option ready to show and match: `text` is its label in the user's locale when known. */
export interface ResolvedOption {
  choice: EngineChoice;
  id: string;
  text?: string;
  exclusive: boolean;
}

export function resolveOptions(step: ChoiceStep, c: StepContext): ResolvedOption[] {
  if (step.optionsFrom) {
    const sources = c.run.options;
    const source = sources && Object.hasOwn(sources, step.optionsFrom) ? sources[step.optionsFrom] : undefined;
    return (source ? source(c.answers) : []).map((o) => ({ choice: { id: o.id, label: o.label }, id: o.id, text: o.label, exclusive: false }));
  }
  return (step.options ?? []).map((o) => {
    const labelKey = resolveKey(c.namespace, o.label);
    const text = c.run.text?.(labelKey);
    return { choice: { id: o.id, labelKey }, id: o.id, exclusive: o.exclusive ?? false, ...(text !== undefined ? { text } : {}) };
  });
}

/** Entering a choice step: its prompt, with its options as choices (a menu where the channel has one). */
export function askChoices(step: ChoiceStep & { prompt: string }, c: StepContext): EnterOutcome {
  const choices = resolveOptions(step, c).map((o) => o.choice);
  return { kind: 'ask', outbound: { type: 'choices', key: resolveKey(c.namespace, step.prompt), vars: {}, choices } };
}

/** The options a choice step answers from, or the refusal when there are none. */
export function optionsOrRefusal(step: ChoiceStep, c: StepContext): ResolvedOption[] | Extract<AnswerOutcome, { kind: 'invalid' }> {
  const options = resolveOptions(step, c);
  return options.length > 0 ? options : { kind: 'invalid', reason: 'engine:invalid.choice.noOptions' };
}

/** The option whose 微信客服 menu item was tapped, if any. */
export function menuPick(options: ResolvedOption[], menuId: string | undefined): ResolvedOption | undefined {
  return menuId ? options.find((o) => o.id === menuId) : undefined;
}

/** Result of matching one typed token against the options. */
export type MatchResult = { ok: true; option: ResolvedOption } | { ok: false; reason: string; vars: Record<string, string | number> };

/** Accepts the option's number, its id, its exact label, or a part of exactly one label. */
export function matchOption(token: string, options: ResolvedOption[]): MatchResult {
  const t = normaliseWord(token);
  if (t === '') return { ok: false, reason: 'engine:invalid.text.empty', vars: {} };
  if (/^\d+$/.test(t)) {
    const option = options[Number(t) - 1];
    return option ? { ok: true, option } : { ok: false, reason: 'engine:invalid.choice.outOfRange', vars: { max: options.length } };
  }
  const exact = options.find((o) => (o.text !== undefined && normaliseWord(o.text) === t) || o.id.toLowerCase() === t);
  if (exact) return { ok: true, option: exact };
  const partial = options.filter((o) => o.text !== undefined && normaliseWord(o.text).includes(t));
  if (partial.length === 1 && partial[0]) return { ok: true, option: partial[0] };
  const reason = partial.length > 1 ? 'engine:invalid.choice.ambiguous' : 'engine:invalid.choice.noMatch';
  return { ok: false, reason, vars: { answer: toHalfWidth(token) } };
}

/** How a chosen id (or ids) shows in a review. */
export function displayChoices(step: ChoiceStep, ids: string[], c: StepContext): Omit<SummaryLine, 'labelKey'> {
  const options = resolveOptions(step, c);
  if (step.optionsFrom) return { value: ids.map((id) => options.find((o) => o.id === id)?.text ?? id).join('、') };
  return { valueKeys: ids.map((id) => { const ch = options.find((o) => o.id === id)?.choice; return ch && 'labelKey' in ch ? ch.labelKey : id; }) };
}

export function choiceKeys(step: ChoiceStep): string[] {
  return (step.options ?? []).map((o) => o.label);
}

export function checkChoices(step: ChoiceStep, sources: readonly string[] | undefined): StepProblem[] {
  const problems: StepProblem[] = [];
  if (!step.options === !step.optionsFrom) problems.push({ path: 'options', message: 'needs exactly one of options or optionsFrom' });
  if (step.optionsFrom && sources && !sources.includes(step.optionsFrom)) {
    problems.push({ path: 'optionsFrom', message: `unknown option source "${step.optionsFrom}"` });
  }
  const ids = (step.options ?? []).map((o) => o.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) problems.push({ path: 'options', message: `duplicate option id "${dup}"` });
  return problems;
}
