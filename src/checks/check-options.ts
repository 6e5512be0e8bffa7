import { answerOf, type Answers } from '../engine/events.js';
import type { DynamicOption } from '../engine/step-types/index.js';

/** Option sources the check flows name in `optionsFrom`: lists the check service hands the flow when it starts. */
export const CHECK_OPTION_SOURCES = ['checkTasks', 'checkHouseholds', 'visitChannels', 'planMeasures', 'incomeBands'] as const;
export type CheckOptionSources = Record<(typeof CHECK_OPTION_SOURCES)[number], (answers: Answers) => DynamicOption[]>;

const strings = (answers: Answers, field: string): string[] => {
  const value = answerOf(answers, field);
  return Array.isArray(value) ? value : [];
};

/** Pairs two given lists into options: ids and their labels. */
function zip(answers: Answers, ids: string, labels: string): DynamicOption[] {
  const names = strings(answers, labels);
  return strings(answers, ids).map((id, i) => ({ id, label: names[i] ?? id }));
}

/**
 * The check flows' option sources; `t` translates a text key (with variables) in the person's language.
 * The lists come in as answers when the service starts a flow (a cadre's households, a case's plan), so
 * the engine stays pure and a retyped list is what the cadre saw.
 */
export function checkOptionSources(t: (key: string, vars?: Record<string, string | number>) => string): CheckOptionSources {
  return {
    checkTasks: (answers) => zip(answers, 'taskIds', 'taskLabels'),
    // The households by number or name; 下一户 is the first one not yet visited.
    checkHouseholds: (answers) => [
      ...zip(answers, 'listKeys', 'listLabels'),
      ...(typeof answerOf(answers, 'listNext') === 'string' ? [{ id: 'next', label: t('checks:pick.next'), keywords: ['下一户', '下一个', 'next household'] }] : []),
    ],
    // "上门看过，没有变化" only when there is a record to copy.
    visitChannels: (answers) => [
      ...(answerOf(answers, 'hasLastVisit') === true ? [{ id: 'unchangedHome', label: t('checkVisit:channel.unchangedHome', { date: String(answerOf(answers, 'lastVisitShown') ?? '') }) }] : []),
      { id: 'home', label: t('checkVisit:channel.home') },
      { id: 'phone', label: t('checkVisit:channel.phone') },
      { id: 'wechat', label: t('checkVisit:channel.wechat') },
    ],
    planMeasures: (answers) => [...zip(answers, 'planMeasureIds', 'planMeasureLabels'), { id: 'allCarriedOut', label: t('checkVisit:plan.allCarriedOut'), exclusive: true }],
    // C2's bands (seed004 附件2), the first bound being the profile's line for the year when it has one.
    incomeBands: (answers) => {
      const line = answerOf(answers, 'incomeLine');
      const vars = typeof line === 'number' ? { line } : undefined;
      return [
        { id: 'belowLine', label: vars ? t('reviewSurvey:band.belowLine', vars) : t('reviewSurvey:band.belowUnknownLine') },
        { id: 'lineTo9000', label: vars ? t('reviewSurvey:band.lineTo9000', vars) : t('reviewSurvey:band.unknownLineTo9000') },
        { id: 'to13500', label: t('reviewSurvey:band.to13500') },
        { id: 'above13500', label: t('reviewSurvey:band.above13500') },
      ];
    },
  };
}

/** The C2 band an estimated per-capita income falls in, given the year's line (undefined when the profile has none). */
export function incomeBandOf(income: number, line: number | undefined): string | undefined {
  if (income >= 13500) return 'above13500';
  if (income >= 9000) return 'to13500';
  if (line === undefined) return undefined;
  return income < line ? 'belowLine' : 'lineTo9000';
}
