import { z } from 'zod';
import { say, type EngineChoice, type EngineEvent, type SummaryLine } from '../events.js';
import { resolveKey } from '../normalise.js';
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
  keywords?: readonly string[];
}

/** The id of the menu item that keeps a choice already made (a prefilled or earlier answer). */
export const KEEP_CHOICE_ID = '_keep';

export function resolveOptions(step: ChoiceStep, c: StepContext): ResolvedOption[] {
  if (step.optionsFrom) {
    const sources = c.run.options;
    const source = sources && Object.hasOwn(sources, step.optionsFrom) ? sources[step.optionsFrom] : undefined;
    return (source ? source(c.answers) : []).map((o) => ({
      choice: { id: o.id, label: o.label },
      id: o.id,
      text: o.label,
      exclusive: o.exclusive ?? false,
      ...(o.keywords ? { keywords: o.keywords } : {}),
    }));
  }
  return (step.options ?? []).map((o) => {
    const labelKey = resolveKey(c.namespace, o.label);
    const text = c.run.text?.(labelKey);
    return {
      choice: { id: o.id, labelKey },
      id: o.id,
      exclusive: o.exclusive ?? false,
      ...(text !== undefined ? { text } : {}),
      ...(o.keywords ? { keywords: o.keywords } : {}),
    };
  });
}

/** What was taken from a sentence, said back so a wrong reading is seen at once: "记下了：因病。不对请回复“返回”。" */
export function understood(chosen: ResolvedOption[]): EngineEvent {
  return say('engine:choice.understood', { answer: chosen.map((o) => o.text ?? o.id).join(' / ') });
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

/** What to read in a message: a tap on an old menu ("2. 白水乡" with an id no option has) is read by its label, not its number. */
export function typedText(input: { text: string; menuId?: string }): string {
  return input.menuId ? input.text.replace(/^\s*\d+\.\s*/u, '') : input.text;
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
  if (ids.includes(KEEP_CHOICE_ID)) problems.push({ path: 'options', message: `option id "${KEEP_CHOICE_ID}" is reserved` });
  return problems;
}
