import type { Outbound } from '../channel/messages.js';
import type { EngineChoice, EngineOutbound, SummaryLine, Vars } from '../engine/events.js';
import type { Locale, Texts } from '../i18n/i18n.js';

/** Turns the engine's text keys into a channel message in the person's locale. `extra` vars reach every text. */
export function renderOutbound(texts: Texts, locale: Locale, message: EngineOutbound, extra: Vars = {}): Outbound {
  const t = (key: string, vars: Vars = {}) => texts.t(locale, key, { ...extra, ...vars });
  const head = t(message.key, message.vars);
  if (message.type === 'text') return { type: 'text', text: head };
  const summary = (message.lines ?? []).map((line) => summaryLine(texts, locale, line));
  return {
    type: 'choices',
    text: summary.length ? [head, ...summary].join('\n') : head,
    choices: message.choices.map((c) => ({ id: c.id, label: choiceLabel(texts, locale, c) })),
  };
}

function choiceLabel(texts: Texts, locale: Locale, c: EngineChoice): string {
  return 'label' in c ? c.label : texts.t(locale, c.labelKey);
}

function summaryLine(texts: Texts, locale: Locale, line: SummaryLine): string {
  if ('items' in line) return [`${texts.t(locale, line.labelKey)}${locale === 'en' ? ':' : '：'}`, ...line.items.map((i) => texts.t(locale, i.key, i.vars))].join('\n');
  const value =
    'valueKeys' in line ? line.valueKeys.map((k) => texts.t(locale, k)).join(locale === 'en' ? ', ' : '、') : 'valueKey' in line ? texts.t(locale, line.valueKey, line.vars) : line.value;
  return `${texts.t(locale, line.labelKey)}${locale === 'en' ? ': ' : '：'}${value}`;
}
