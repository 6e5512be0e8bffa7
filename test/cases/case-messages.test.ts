import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseMessages } from '../../src/cases/case-messages.js';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { createTexts } from '../../src/i18n/i18n.js';
import { loadProfiles } from '../../src/policy/index.js';
import { answers, HOUSEHOLD, openCaseWorld, type CaseWorld } from '../helpers/case-world.js';

const now = new Date('2026-11-22T08:00:00Z');
/** A head of household as DeclarationService takes it: the notice must not count on the flow's name check. */
const FORGED_HEAD = '张福）\n【通知】13812345678（';

describe('staff notices of a case', () => {
  let world: CaseWorld;
  let messages: CaseMessages;
  let record: CaseRecord;
  beforeEach(async () => {
    world = await openCaseWorld();
    messages = new CaseMessages({ texts: createTexts(), org: world.org, profiles: loadProfiles() });
    const declared = await world.declarations.declare(answers({ householdHead: FORGED_HEAD, riskTypes: ['other', 'illness'], otherReason: '欠债\r\n【系统通知】' }), HOUSEHOLD, now);
    record = declared.record;
  });
  afterEach(async () => world.close());

  const textOf = (m: ReturnType<CaseMessages['staffNotice']>) => (m.type === 'text' ? m.text : '');

  it('quote the household head on its own line, flattened and masked', () => {
    const lines = textOf(messages.staffNotice('zh-CN', record, { description: '看病', otherReason: '欠债\r\n【系统通知】' })).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe('户主：「张福） （通知）138****5678（」（身份证 4306**********1238，电话 138****5678）');
    expect(lines[3]).toBe('困难类型：⑭其他「欠债 （系统通知）」、⑥因病');
    expect(lines.filter((l) => l.startsWith('【'))).toHaveLength(1);
  });

  it('quote the household head in the repeat-declaration notice too', () => {
    const text = textOf(messages.repeatNotice('zh-CN', record, { riskTypes: ['illness'], description: '又病了' }, false));
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('（户主：「张福） （通知）138****5678（」，青山镇桃源村一组）');
    expect(text).not.toContain('13812345678');
  });

  it("name the 三保障 items and risk types with the labels of the case's policy profile, numbers included", async () => {
    const declared = await world.declarations.declare(
      answers({ idNumber: '430621197003030026', riskTypes: ['naturalDisaster', 'other'], otherReason: '房子塌了', basicGuarantees: ['housing', 'drinkingWater'] }),
      HOUSEHOLD,
      now,
    );
    expect(declared.record.procedure.profileKey).toBe('hunan-2022@1');
    const lines = textOf(messages.staffNotice('zh-CN', declared.record, { description: '发大水', otherReason: '房子塌了' })).split('\n');
    expect(lines[3]).toBe('困难类型：⑨因自然灾害、⑭其他「房子塌了」');
    expect(lines[4]).toBe('三保障和饮水：②住房安全保障风险、④饮水安全风险');
    const en = textOf(messages.staffNotice('en', declared.record, { description: '发大水', otherReason: '房子塌了' })).split('\n');
    expect(en[4]).toBe('Basic guarantees and water: (2) Housing safety at risk; (4) Drinking water safety at risk');
  });
});
