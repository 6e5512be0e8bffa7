import { describe, expect, it } from 'vitest';
import { CHECK_OPTION_SOURCES, checkOptionSources } from '../../src/checks/check-options.js';
import { AREA_OPTION_SOURCES, optionSources } from '../../src/conversation/area-options.js';
import type { Answers } from '../../src/engine/events.js';
import { loadFlows } from '../../src/engine/flow-loader.js';
import { step } from '../../src/engine/run.js';
import type { EngineState } from '../../src/engine/state.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { loadProfiles } from '../../src/policy/index.js';
import { FLOWS_DIR } from '../../src/shared/paths.js';
import { renderOutbound } from '../../src/conversation/render.js';
import type { Outbound } from '../../src/channel/messages.js';

/**
 * The check forms as a cadre meets them, played on the engine alone: the 回头看 sheet for a household whose risk
 * is eliminated (D3, D4 instead of D5–D10) with C2's bands on a profile line, and the monthly visit's branches.
 */
const texts = createTexts();
const org = loadOrgFile(DEMO_ORG_FILE);
const flows = loadFlows(FLOWS_DIR, { locales: LOCALES, hasKey: (l, k) => texts.has(l, k), optionSources: [...AREA_OPTION_SOURCES, ...CHECK_OPTION_SOURCES] });
const ctx = {
  text: (key: string) => (texts.has('zh-CN', key) ? texts.t('zh-CN', key) : undefined),
  options: { ...optionSources(org, (k) => texts.t('zh-CN', k), loadProfiles(), 'zh-CN'), ...checkOptionSources((k, v) => texts.t('zh-CN', k, v)) },
};
const NOW = new Date('2023-06-01T02:00:00Z');

function play(flowId: string, given: Answers, replies: string[]): { shown: Outbound[]; state: EngineState | null; data?: Answers } {
  const flow = flows.get(flowId)!;
  let r = step(flow, undefined, { type: 'start', answers: given }, NOW, ctx);
  const shown: Outbound[] = [];
  const collect = () => r.events.forEach((e) => e.type === 'message' && shown.push(renderOutbound(texts, 'zh-CN', e.outbound)));
  collect();
  let data: Answers | undefined;
  for (const text of replies) {
    r = step(flow, r.state!, { type: 'message', text }, NOW, ctx);
    collect();
    for (const e of r.events) if (e.type === 'action') data = e.data;
  }
  return { shown, state: r.state, ...(data ? { data } : {}) };
}
const textOf = (m: Outbound) => (m.type === 'card' ? '' : m.text);
const choices = (m: Outbound | undefined) => (m?.type === 'choices' ? m.choices.map((c) => c.label) : []);

describe('the 回头看 sheet', () => {
  const given = { caseProfile: 'hunan-2022@1', caseVillage: '430621101201', incomeLine: 7500, caseEliminated: true, contacts: ['wangcadre'] };

  it('asks D3 and D4 with the sheet’s eleven measures for an eliminated household, C2 with the year’s line', () => {
    const { shown, data } = play('review-survey', given, ['是', '否', '否', '否', '是', '否', '1', '外出务工', '否', '不变', '健康帮扶', '1、11', '1']);
    const c2 = shown.find((m) => m.type === 'choices' && m.text.startsWith('C2'));
    expect(choices(c2)).toEqual(['7500元以下', '7500-9000元', '9000-13500元', '13500元以上']);
    const d3 = shown.find((m) => m.type === 'choices' && m.text.startsWith('D3'));
    expect(choices(d3)).toEqual(['产业帮扶', '就业帮扶', '金融帮扶', '生态帮扶', '公益岗位帮扶', '教育帮扶', '健康帮扶', '生活条件改善', '基础设施建设', '综合保障', '扶志扶智']);
    const d4 = shown.find((m) => m.type === 'choices' && m.text.startsWith('D4'));
    expect(choices(d4)).toEqual([...choices(d3), '无']);
    expect(shown.some((m) => textOf(m).startsWith('D5'))).toBe(false);
    expect(data).toMatchObject({ b1: 'no', b4: 'yes', c2: 'belowLine', c3: 'migrantWork', contacts: ['wangcadre'], d3: 'health', d4: ['industry', 'aspirationAndSkills'] });
  });
});

describe('the monthly visit', () => {
  const given = { caseProfile: 'hunan-2022@1', caseVillage: '430621101201', checkFrom: '2023-06-01', hasLastVisit: false, canOpenLead: false, monitored: true, hasPlan: true, planMeasureIds: ['m1', 'm2'], planMeasureLabels: ['健康帮扶：大病救助', '就业帮扶：公益岗位'] };

  it('records a monitored household’s findings against its plan, and offers no lead while its case is open', () => {
    const { shown, data } = play('monthly-visit', given, ['上门', '今天', '以上都没有', '减少', '5000', '外出务工', '否', '⑥因病', '2', '风险已消除，建议启动风险消除', '无', '无', '1']);
    expect(choices(shown.find((m) => textOf(m).startsWith('该户的帮扶措施')))).toEqual(['健康帮扶：大病救助', '就业帮扶：公益岗位', '都在落实']);
    expect(shown.some((m) => textOf(m).includes('要现在上报风险线索吗'))).toBe(false);
    expect(data).toMatchObject({ newRisks: ['illness'], planNotCarriedOut: ['m2'], riskGone: 'gone' });
  });
});
