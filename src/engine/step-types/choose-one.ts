import { z } from 'zod';
import { askFields, askKeys, askTargets } from './common.js';
import { readOne } from './choice-reading.js';
import { readHaveOrNot, readYesNo } from './confirm.js';
import { askChoices, checkChoices, choiceFields, choiceKeys, displayChoices, menuPick, optionsOrRefusal, typedText, understood } from './choices.js';
import type { StepDef } from './step-def.js';

export const chooseOneStepSchema = z.strictObject({ type: z.literal('chooseOne'), ...askFields, ...choiceFields });

/**
 * Choose one option; shown as a 微信客服 menu where the channel allows. Stores the option id. Accepts a tap,
 * the number ("2", "第二个", "最后一个"), the label ("二组" or "2组"), or a sentence naming one option
 * ("我是青山镇的"), which is said back.
 * @example { "type": "chooseOne", "prompt": "ask_township", "field": "township", "optionsFrom": "townships", "next": "ask_village" }
 */
export type ChooseOneStep = z.infer<typeof chooseOneStepSchema>;

export const chooseOneStep: StepDef<ChooseOneStep> = {
  type: 'chooseOne',
  schema: chooseOneStepSchema,
  waits: true,
  enter: askChoices,
  answer(step, input, c) {
    const options = optionsOrRefusal(step, c);
    if (!Array.isArray(options)) return options;
    const byMenu = menuPick(options, input.menuId);
    if (byMenu) return { kind: 'answer', value: byMenu.id };
    const r = readOne(typedText(input), options);
    if (!r.ok) {
      // A 是/否 question put as a choice (options `yes` and `no`) is answered as people answer one: 没有, 不是, 对的.
      const yesNo = options.some((o) => o.id === 'yes') && options.some((o) => o.id === 'no') ? (readYesNo(input.text) ?? readHaveOrNot(input.text)) : undefined;
      if (yesNo !== undefined) return { kind: 'answer', value: yesNo ? 'yes' : 'no' };
      return { kind: 'invalid', reason: r.reason, vars: r.vars };
    }
    const [option] = r.options;
    return { kind: 'answer', value: option!.id, events: r.free ? [understood(r.options)] : [] };
  },
  keys: (step) => [...askKeys(step), ...choiceKeys(step)],
  targets: askTargets,
  check: (step, c) => checkChoices(step, c.optionSources),
  display: (step, value, c) => displayChoices(step, [String(value)], c),
};
