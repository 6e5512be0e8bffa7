import { afterEach, describe, expect, it } from 'vitest';
import { at, cardFrom, declare, fill, staffClicks, staffSays, startCaseChat } from '../helpers/case-chat.js';
import type { TestService } from '../helpers/test-app.js';

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

describe('a cross-check that found something (有异常), over the real callback', () => {
  it('is on the cards of those who decide next, without its note, which may be personal', { timeout: 60_000 }, async () => {
    const { svc } = await startCaseChat();
    running.push(svc);
    await declare(svc);
    await staffClicks(svc, 'chentownship', await cardFrom(svc, 'chentownship', '受理线索'), 'agree');
    svc.clock.set(at('2026-11-23'));
    await fill(svc, 'wangcadre', '入户核实', ['今天', '周志强', '不变', '不变', '3', '两千五', '有劳动能力', '都不是', '老伴透析', '1']);
    await staffSays(svc, 'wangcadre', '1');
    svc.clock.set(at('2026-11-24'));
    await staffClicks(svc, 'lisecretary', await cardFrom(svc, 'lisecretary', '民主评议结果确认'), 'agree');

    await staffClicks(svc, 'liucounty', await cardFrom(svc, 'liucounty', '信息比对结果'), 'disagree');
    expect((await staffSays(svc, 'liucounty', '名下有一辆小型车，登记在儿子名下')).texts[0]).toContain('有异常。现在：公示中。');

    svc.clock.set(at('2026-11-29', '09:00'));
    const closing = await cardFrom(svc, 'wangcadre', '结束公示');
    expect(closing.horizontal_content_list).toContainEqual({ keyname: '信息比对', value: '有异常，决定前请先了解比对情况' });
    await staffClicks(svc, 'wangcadre', closing, 'agree');
    const review = await cardFrom(svc, 'chentownship', '乡镇审核');
    expect(review.horizontal_content_list).toContainEqual({ keyname: '信息比对', value: '有异常，决定前请先了解比对情况' });
    expect(JSON.stringify(review)).not.toContain('小型车');
  });
});
