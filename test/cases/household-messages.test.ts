import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseMessages } from '../../src/cases/case-messages.js';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { STAGES, type Stage } from '../../src/procedure/stages.js';
import { answers, HOUSEHOLD, openCaseWorld, type CaseWorld } from '../helpers/case-world.js';
import { TEST_NOW } from '../helpers/test-app.js';

const texts = createTexts();
let world: CaseWorld;
let messages: CaseMessages;
let record: CaseRecord;
beforeEach(async () => {
  world = await openCaseWorld();
  messages = new CaseMessages({ texts, org: world.org });
  record = (await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW)).record;
});
afterEach(async () => world.close());

/** The case at `stage`, with what a case at that stage has recorded. */
function at(stage: Stage): CaseRecord {
  const procedure = {
    ...record.procedure,
    stage,
    identifiedOn: '2026-11-28',
    assistancePlan: { plannedOn: '2026-12-01', measures: [{ category: 'health' as const, content: '大病医疗救助，每年报销2万元', unit: '县医保局' }, 'publicWelfareJob' as const] },
    rejection: stage === 'rejected' ? { on: '2026-11-24', reasons: ['该户家庭人均纯收入明显高于监测范围'] } : null,
    eliminatedOn: stage === 'eliminated' ? '2027-03-01' : null,
  };
  return { ...record, procedure };
}
const progress = (stage: Stage, now = TEST_NOW, locale: 'zh-CN' | 'en' = 'zh-CN') => {
  const out = messages.household.progress(locale, [at(stage)], now);
  return out.type === 'text' ? out.text.split('\n')[1]! : '';
};

describe('进度 as the household reads it', () => {
  it('promises the 15-day deadline only while the case waits for its identification decision', () => {
    const waiting: Stage[] = ['lead', 'homeVerification', 'dataCrossCheck', 'villageAppraisal', 'publicNotice', 'townshipReview', 'countyApproval'];
    for (const stage of STAGES) {
      const line = progress(stage);
      if (waiting.includes(stage)) expect(line, stage).toContain('按规定一般在2026年12月7日前办完。');
      else expect(line, stage).not.toContain('前办完');
    }
  });

  it('gives every stage its own plain words, in both languages', () => {
    for (const locale of LOCALES) {
      const lines = STAGES.map((stage) => progress(stage, TEST_NOW, locale));
      expect(new Set(lines).size, locale).toBe(STAGES.length);
      for (const line of lines) expect(line, line).not.toMatch(/\{\{|正在办理|in progress/);
    }
  });

  it('says when the identification deadline has passed and how to ask', () => {
    expect(progress('homeVerification', new Date('2026-12-08T02:00:00Z'))).toBe(
      '案件编号 20261122-0001（2026年11月22日申报）：村干部正在上门核实。按规定应在2026年12月7日前办完，现在已经超过了；想问问进展，可以回复“人工”。',
    );
  });

  it('a monitored household sees the help planned, by category, without amounts or contents', () => {
    const line = progress('monitoring');
    expect(line).toBe('案件编号 20261122-0001（2026年11月22日申报）：已纳入监测帮扶，帮扶措施有：看病就医方面的帮助、安排公益岗位。负责联系您家的村干部会定期上门了解情况，有新的困难随时告诉他们。');
    expect(line).not.toMatch(/2万|县医保局/);
  });

  it('a refused case is closed, with the reason quoted as the staff member wrote it and the way to a re-check', () => {
    expect(progress('rejected')).toBe(
      '案件编号 20261122-0001（2026年11月22日申报）：已结案。2026年11月24日经审核，暂不符合纳入监测帮扶的条件。经办人员写明的原因（原话）：「该户家庭人均纯收入明显高于监测范围」。如有不同意见，或家里情况有变化，可以向青山镇申请复核，也可以回复“人工”请村干部帮忙。',
    );
  });

  it('after elimination the record stays and help goes on (四个不摘)', () => {
    expect(progress('eliminated')).toBe(
      '案件编号 20261122-0001（2026年11月22日申报）：已结案。2027年3月1日标注为风险消除。您家的帮扶记录会一直保留；按照“四个不摘”的要求，帮扶政策不会马上取消，村干部也会继续关心您家。以后再遇到困难，随时回复“申报”。',
    );
  });
});

describe('outcome notices', () => {
  it('reach a household in the language it declared in', async () => {
    const other = await world.declarations.declare(answers({ idNumber: '430621198001011000' }), { ...HOUSEHOLD, externalUserId: 'wmEnglish' }, TEST_NOW, undefined, 'en');
    expect(other.record.declaration?.locale).toBe('en');
    const d = await world.cases.decide({ caseId: other.record._id, action: { type: 'reject', reasons: ['Income well above the line'], caseVersion: 1 }, userId: 'chentownship', now: TEST_NOW });
    expect(d.ok).toBe(true);
    expect(world.notices).toEqual([
      {
        to: { ...HOUSEHOLD, externalUserId: 'wmEnglish' },
        messages: [{ type: 'text', text: expect.stringMatching(/^Your household's declaration \(case 20261122-0002\)[^\n]*\nThe reason the staff member wrote, in their words: 「Income well above the line」\.\nIf you disagree/) }],
      },
    ]);
  });
});
