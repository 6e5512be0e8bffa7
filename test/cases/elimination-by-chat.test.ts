import { afterEach, describe, expect, it } from 'vitest';
import { checkCaseAudit } from '../../src/cases/audit-check.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { Org } from '../../src/org/org.js';
import {
  agree, answer, at, CASE_NUMBER, caseOf, cardFrom, chatToMonitoring, declare, fill, HOUSEHOLD, staffClicks, staffSays, startCaseChat, withIncomeLine,
} from '../helpers/case-chat.js';
import { vault } from '../helpers/case-world.js';
import { householdSays, kfTextsTo } from '../helpers/staff-chat.js';
import type { TestService } from '../helpers/test-app.js';

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

/** The Hunan profile with the line a county would add for 2026 (the shipped files stop at 2023). */
const WITH_2026_LINE = withIncomeLine(2026, 7000);

async function started(options: Parameters<typeof startCaseChat>[0] = {}) {
  const world = await startCaseChat(options);
  running.push(world.svc);
  return world;
}

/** The monitoring contact proposes natural elimination by command; the township starts the check. */
async function proposeAndStart(svc: TestService, income = '9千'): Promise<void> {
  await staffSays(svc, 'wangcadre', `风险消除 ${CASE_NUMBER}`);
  const proposed = await answer(svc, 'wangcadre', ['自然消除', income, '儿子在县城稳定务工，月收入四千元', '1']);
  expect(proposed.texts[0]).toContain('提出风险消除。现在：风险消除待乡镇确认。');
  await agree(svc, 'chentownship', '风险消除·启动核实');
}

describe('risk elimination by chat, over the real callback', () => {
  it('Hunan: proposed by command, visited, agreed by the household itself on 微信客服, appraised, posted, reviewed and approved', { timeout: 60_000 }, async () => {
    const { svc, cases } = await started({ profiles: WITH_2026_LINE });
    await declare(svc);
    await chatToMonitoring(svc, cases);
    svc.clock.set(at('2026-12-10'));
    // The household wrote on 微信客服 today, so for 48 hours the bot may write to it.
    expect((await householdSays(svc, HOUSEHOLD, '进度')).join('\n')).toContain('已纳入监测帮扶');
    await proposeAndStart(svc);

    const kfBefore = svc.fake.kfSent.length;
    await fill(svc, 'wangcadre', '风险消除·入户核实', ['今天', '周志强', '8500', '是', '是', '有劳动能力', '儿子务工收入稳定']);
    expect((await answer(svc, 'wangcadre', ['1'])).texts).toEqual([`已记录：${CASE_NUMBER}（张德福）风险消除·入户核实。现在：风险消除待农户确认。`]);
    // The household is asked in its own conversation; the cadres also got the paper-signature card meanwhile.
    const asked = kfTextsTo(svc, HOUSEHOLD, kfBefore);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(`您家（案件编号 ${CASE_NUMBER}）经村干部上门核实`);
    expect(asked[0]).toContain('经过自身努力和各方帮扶，本户已达到风险消除标准，现自愿退出监测对象。您是否同意？');
    expect((await cardFrom(svc, 'zhoucadre', '风险消除·农户确认')).button_list).toEqual([{ text: '开始填写', style: 1, key: 'fill' }]);

    svc.clock.set(at('2026-12-10', '15:00'));
    expect(await householdSays(svc, HOUSEHOLD, '是')).toEqual(['好的，已记下您家同意风险消除（2026年12月10日）。接下来还要经过评议、公示和审核，办完后会告诉您结果。回复“进度”可以随时查看。']);
    const agreedCase = await caseOf(cases);
    expect(agreedCase.procedure).toMatchObject({ stage: 'eliminationAppraisal', elimination: { method: 'natural', proposedOn: '2026-12-10', householdAgreedOn: '2026-12-10', householdAgreedVia: 'kf' } });
    // The contacts hear it, and the signature card is greyed out for everyone who got it.
    const told = svc.fake.appMessages.filter((m) => m.msgtype === 'text' && (m.text as { content: string }).content.startsWith('【农户已确认】'));
    expect(told.map((m) => m.touser).sort()).toEqual(['wangcadre', 'zhoucadre']);
    const signatureCards = svc.fake.appMessages.filter((m) => m.msgtype === 'template_card' && (m.template_card as { main_title: { title: string } }).main_title.title === '风险消除·农户确认');
    const updated = new Set(svc.fake.cardUpdates.map((u) => u.response_code));
    expect(signatureCards.length).toBeGreaterThan(0);
    expect(signatureCards.filter((m) => !updated.has(m.response_code!))).toEqual([]);
    // Greyed out as the household's own answer, not as if the contact had collected a signature.
    const signatureCodes = new Set(signatureCards.map((m) => String(m.response_code)));
    const greyedAs = new Set(svc.fake.cardUpdates.filter((u) => signatureCodes.has(String(u.response_code))).map((u) => (u.button as { replace_name: string }).replace_name));
    expect([...greyedAs]).toEqual(['农户已在微信客服确认 · 12月10日 15:00']);
    // A second "是" records nothing: the question is answered.
    await householdSays(svc, HOUSEHOLD, '是');
    expect((await caseOf(cases)).procedure.version).toBe(agreedCase.procedure.version);

    await agree(svc, 'lisecretary', '风险消除·民主评议结果确认');
    const notice = (await caseOf(cases)).procedure.notice!;
    expect(notice).toEqual({ startsOn: '2026-12-10', endsOn: '2026-12-15' });
    svc.clock.set(at(notice.endsOn));
    await staffClicks(svc, 'wangcadre', await cardFrom(svc, 'wangcadre', '风险消除·结束公示'), 'agree');
    await agree(svc, 'chentownship', '风险消除·乡镇审核');
    const approved = await agree(svc, 'liucounty', '风险消除·县级审定');
    expect(approved.texts[0]).toBe(`已记录：${CASE_NUMBER}（张德福）同意。现在：风险已消除。`);
    expect((await householdSays(svc, HOUSEHOLD, '进度')).join('\n')).toContain('标注为风险消除');

    const eliminated = await caseOf(cases);
    expect(eliminated.procedure).toMatchObject({ stage: 'eliminated', eliminatedOn: '2026-12-15', netIncomePerCapita: { '2026': 8500 } });
    const trail = (await cases.audit.read(eliminated._id)).map((r) => r.event);
    const fromMonitoring = trail.slice(trail.findIndex((e) => e.action === 'proposeElimination'));
    expect(fromMonitoring.map((e) => [e.action, (e.actor as { userId: string }).userId])).toEqual([
      ['proposeElimination', 'wangcadre'],
      ['acceptEliminationProposal', 'chentownship'],
      ['recordHomeVerification', 'wangcadre'],
      // The household answered itself; the step stands in its monitoring contact's name, saying so.
      ['recordHouseholdAgreement', 'wangcadre'],
      ['recordAppraisal', 'lisecretary'],
      ['closeNotice', 'wangcadre'],
      ['townshipApprove', 'chentownship'],
      ['countyApprove', 'liucounty'],
    ]);
    expect(fromMonitoring[3]).toMatchObject({ data: { agrees: true, via: 'kf' } });
    expect(await checkCaseAudit(svc.docs, vault, CASE_NUMBER)).toMatchObject({ status: 'ok' });
    // What the proposer wrote lies sealed.
    expect(JSON.stringify(await svc.docs.collection('cases').find({}))).not.toContain('稳定务工');
  });

  it('without an income line for 2026 (the shipped profiles have none), the proposal is refused at once, naming the file and setting to add', { timeout: 60_000 }, async () => {
    const { svc, cases } = await started();
    await declare(svc);
    const monitored = await chatToMonitoring(svc, cases);
    const refused = await staffSays(svc, 'wangcadre', `风险消除 ${CASE_NUMBER}`);
    expect(refused.texts).toEqual([
      `案件 ${CASE_NUMBER} 现在不能提出风险消除：还没有设定2026年的监测收入标准（政策配置文件 config/profiles/hunan-2022.yaml 中的 incomeThreshold.perYear."2026"），无法判断收入是否达标，暂不能办理风险消除。这不是农户的问题：请县乡村振兴局按本省公布的2026年标准在该配置中设定后，再办理。`,
    ]);
    expect((await caseOf(cases)).procedure).toMatchObject({ stage: 'monitoring', version: monitored.procedure.version, elimination: null });
  });

  it('an approval that falls in a year without a line is refused to the county in plain words, naming that year\'s setting', { timeout: 60_000 }, async () => {
    const { svc, cases } = await started({ profiles: WITH_2026_LINE });
    await declare(svc);
    await chatToMonitoring(svc, cases);
    svc.clock.set(at('2026-12-20'));
    await householdSays(svc, HOUSEHOLD, '进度');
    await proposeAndStart(svc);
    await fill(svc, 'zhoucadre', '风险消除·入户核实', ['今天', '王建国', '8500', '是', '是', '有劳动能力', '无', '1']);
    expect(await householdSays(svc, HOUSEHOLD, '是')).toHaveLength(1);
    await agree(svc, 'lisecretary', '风险消除·民主评议结果确认');
    svc.clock.set(at((await caseOf(cases)).procedure.notice!.endsOn));
    await staffClicks(svc, 'wangcadre', await cardFrom(svc, 'wangcadre', '风险消除·结束公示'), 'agree');
    svc.clock.set(at('2026-12-31'));
    await agree(svc, 'chentownship', '风险消除·乡镇审核');

    svc.clock.set(at('2027-01-04'));
    const card = await cardFrom(svc, 'liucounty', '风险消除·县级审定');
    const refused = await staffClicks(svc, 'liucounty', card, 'agree');
    expect(refused.texts).toEqual([
      `案件 ${CASE_NUMBER} 未能办理：还没有设定2027年的监测收入标准（政策配置文件 config/profiles/hunan-2022.yaml 中的 incomeThreshold.perYear."2027"），无法判断收入是否达标，暂不能办理风险消除。这不是农户的问题：请县乡村振兴局按本省公布的2027年标准在该配置中设定后，再办理。`,
    ]);
    expect((await caseOf(cases)).procedure.stage).toBe('eliminationCountyApproval');
  });

  it('Henan: no elimination visit and no household signature; the proposal brings the year\'s income and the village appraises it next', { timeout: 60_000 }, async () => {
    const demo = loadOrgFile(DEMO_ORG_FILE);
    const org = new Org({ ...demo.file, policyProfile: 'henan-2021' });
    const { svc, cases } = await started({ org, profiles: withIncomeLine(2026, 7000) });
    await declare(svc);
    const monitored = await chatToMonitoring(svc, cases);
    expect(monitored.procedure.profileKey).toBe('henan-2021@1');
    svc.clock.set(at('2026-12-10'));
    await householdSays(svc, HOUSEHOLD, '进度');

    // An income below the line is refused at submit and corrected in the form.
    await staffSays(svc, 'wangcadre', `风险消除 ${CASE_NUMBER}`);
    const low = await answer(svc, 'wangcadre', ['自然消除', '6千', '大病已治愈，恢复务农', '1']);
    expect(low.texts[0]).toContain('这户2026年家庭人均收入6000元，低于当年监测收入标准7000元');
    expect((await answer(svc, 'wangcadre', ['3', '7500', '1'])).texts[0]).toContain('现在：风险消除待乡镇确认。');

    const kfBefore = svc.fake.kfSent.length;
    const started_ = await agree(svc, 'chentownship', '风险消除·启动核实');
    expect(started_.texts[0]).toBe(`已记录：${CASE_NUMBER}（张德福）同意。现在：风险消除待民主评议。`);
    expect(kfTextsTo(svc, HOUSEHOLD, kfBefore)).toEqual([]);
    await agree(svc, 'lisecretary', '风险消除·民主评议结果确认');
    const notice = (await caseOf(cases)).procedure.notice!;
    expect(notice).toEqual({ startsOn: '2026-12-10', endsOn: '2026-12-17' });
    svc.clock.set(at(notice.endsOn));
    await staffClicks(svc, 'wangcadre', await cardFrom(svc, 'wangcadre', '风险消除·结束公示'), 'agree');
    // Henan's township decides the elimination too (乡镇确定), and the county is sent it to file.
    expect((await agree(svc, 'chentownship', '风险消除·乡镇确定')).texts[0]).toBe(`已记录：${CASE_NUMBER}（张德福）同意。现在：风险已消除。`);
    const filed = svc.fake.appMessages.filter((m) => m.touser === 'liucounty' && m.msgtype === 'text').map((m) => (m.text as { content: string }).content);
    expect(filed).toContainEqual(expect.stringMatching(/^【备案】青山镇已于\d{4}年\d+月\d+日确定 张\*福（青山镇桃源村一组，案件 20261122-0001）风险消除/));

    const c = await caseOf(cases);
    expect(c.procedure).toMatchObject({ stage: 'eliminated', eliminatedOn: '2026-12-17', netIncomePerCapita: { '2026': 7500 }, elimination: { method: 'natural' } });
    const actions = (await cases.audit.read(c._id)).map((r) => r.event.action);
    expect(actions).not.toContain('recordHouseholdAgreement');
    expect(actions.slice(actions.indexOf('proposeElimination'))).toEqual(['proposeElimination', 'acceptEliminationProposal', 'recordAppraisal', 'closeNotice', 'townshipApprove']);
  });
});
