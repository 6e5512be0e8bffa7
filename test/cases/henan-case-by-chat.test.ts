import { afterEach, describe, expect, it } from 'vitest';
import { checkCaseAudit } from '../../src/cases/audit-check.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { Org } from '../../src/org/org.js';
import { vault } from '../helpers/case-world.js';
import { at, caseOf, cardFrom, CASE_NUMBER, declare, fill, HOUSEHOLD, staffClicks, staffSays, startCaseChat } from '../helpers/case-chat.js';
import { householdSays } from '../helpers/staff-chat.js';
import type { TestService } from '../helpers/test-app.js';

/** The demo county moved to Henan (罗山县 411521): its profile is chosen by the area code, as a deployment's would be. */
function henanOrg(): Org {
  const demo = loadOrgFile(DEMO_ORG_FILE).file;
  return new Org(JSON.parse(JSON.stringify(demo).replaceAll('430621', '411521')) as typeof demo);
}

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

const appTexts = (svc: TestService, userId: string) =>
  svc.fake.appMessages.filter((m) => m.touser === userId && m.msgtype === 'text').map((m) => (m.text as { content: string }).content);

describe('a Henan case by chat (河南 2021: cross-check before the appraisal, 7-day notice, the township decides, the county files)', () => {
  it('runs declaration → acceptance → visit → cross-check → appraisal → 7-day notice → township decision → registration → plan → entry', async () => {
    const { svc, cases } = await startCaseChat({ org: henanOrg() });
    running.push(svc);
    const filed = (await declare(svc)).join('\n');
    // The household is told Henan's own procedure: no county approval.
    expect(filed).toContain('之后经村里民主评议、公示7天、乡镇确定（报县里备案）。按规定，一般在2026年12月7日前办完。');

    await staffClicks(svc, 'chentownship', await cardFrom(svc, 'chentownship', '受理线索'), 'agree');
    svc.clock.set(at('2026-11-23'));
    await fill(svc, 'wangcadre', '入户核实', ['今天', '周志强', '不变', '不变', '3', '两千五', '有劳动能力', '都不是', '老伴透析，儿子打零工', '1']);
    // Henan compares the data before the village appraisal: the county's card comes first.
    expect((await staffSays(svc, 'wangcadre', '1')).texts).toEqual([`已记录：${CASE_NUMBER}（张德福）入户核实。现在：待信息比对。`]);
    expect((await staffSays(svc, 'lisecretary', '待办')).texts).toEqual(['李书记，您目前没有待办事项。']);
    expect((await staffClicks(svc, 'liucounty', await cardFrom(svc, 'liucounty', '信息比对结果'), 'agree')).texts).toEqual([
      `已记录：${CASE_NUMBER}（张德福）无异常。现在：待民主评议。`,
    ]);

    svc.clock.set(at('2026-11-24'));
    const appraised = await staffClicks(svc, 'lisecretary', await cardFrom(svc, 'lisecretary', '民主评议结果确认'), 'agree');
    expect(appraised.texts).toEqual([`已记录：${CASE_NUMBER}（张德福）同意。现在：公示中。\n公示至2026年12月1日，期满当天起可结束公示。公示期间群众提出异议的，回复“异议”加案件编号登记。`]);

    svc.clock.set(at('2026-11-30'));
    expect((await staffSays(svc, 'wangcadre', '待办')).cards).toEqual([]);
    svc.clock.set(at('2026-12-01'));
    expect((await staffClicks(svc, 'wangcadre', await cardFrom(svc, 'wangcadre', '结束公示'), 'agree')).texts[0]).toContain('现在：待乡镇审核。');

    // The township decides (乡镇确定), in its card's words; the county only files it and gets no card.
    const todo = await staffSays(svc, 'chentownship', '我的待办');
    expect(todo.texts[0]).toContain(`1. ${CASE_NUMBER} 张德福（桃源村）：乡镇确定，截止2026年12月7日（识别时限15天）`);
    expect(todo.cards.map((c) => [c.main_title.title, c.sub_title_text])).toEqual([['乡镇确定', '公示已结束，请乡镇确定；确定后在村内公告，并报县乡村振兴部门备案。']]);
    expect((await staffClicks(svc, 'chentownship', todo.cards[0]!, 'agree')).texts[0]).toContain('现在：已认定，待录入建档。');
    expect(appTexts(svc, 'liucounty')).toContainEqual(`【备案】青山镇已于2026年12月1日确定 张*福（青山镇桃源村一组，案件 ${CASE_NUMBER}）为防返贫监测对象，请县乡村振兴部门备案。`);
    expect((await staffSays(svc, 'liucounty', '待办')).texts).toEqual(['刘局长，您目前没有待办事项。']);

    const registering = await fill(svc, 'chentownship', '录入建档', ['不变']);
    expect(registering.texts.join('\n')).toContain('监测联系人：王建国、周志强');
    expect((await staffSays(svc, 'chentownship', '1')).texts[0]).toContain('现在：已建档，待制定帮扶措施。');

    // Henan's own measure categories (seed000 三（三）): 小额信贷 is one of them.
    svc.clock.set(at('2026-12-03'));
    const planning = await fill(svc, 'zhoucadre', '帮扶措施', ['小额信贷', '5万元扶贫小额信贷发展养殖', '县农商行', '否']);
    expect(planning.texts.join('\n')).toContain('（1）小额信贷：5万元扶贫小额信贷发展养殖（县农商行）');
    expect((await staffSays(svc, 'zhoucadre', '1')).texts[0]).toContain('现在：监测帮扶中。');
    await fill(svc, 'chentownship', '帮扶措施录入', ['今天']);
    expect((await staffSays(svc, 'chentownship', '1')).texts[0]).toContain('帮扶措施录入国家系统。现在：监测帮扶中。');

    const c = await caseOf(cases);
    expect(c.procedure).toMatchObject({
      profileKey: 'henan-2021@1',
      stage: 'monitoring',
      identifiedOn: '2026-12-01',
      monitoringContacts: ['wangcadre', 'zhoucadre'],
      crossCheck: { status: 'clear' },
      assistancePlan: { plannedOn: '2026-12-03', enteredOn: '2026-12-03', measures: [{ category: 'microcredit', unit: '县农商行' }] },
    });
    expect((await householdSays(svc, HOUSEHOLD, '进度')).join('\n')).toContain(CASE_NUMBER);
    const trail = await cases.audit.read(c._id);
    expect(trail.map((r) => r.event.action)).toEqual([
      'openCase',
      'acceptLead',
      'recordHomeVerification',
      'recordCrossCheck',
      'recordAppraisal',
      'closeNotice',
      'townshipApprove',
      'register',
      'recordAssistancePlan',
      'recordMeasureEntry',
    ]);
    expect(await checkCaseAudit(svc.docs, vault, CASE_NUMBER)).toMatchObject({ status: 'ok', records: 10 });
  });
});
