import { afterEach, describe, expect, it, vi } from 'vitest';
import { householdSays } from '../helpers/staff-chat.js';
import { startTestService, type TestService } from '../helpers/test-app.js';

const UP_TO_REVIEW = ['申报', '张德福', '430621195805121238', '13812345678', '1', '1', '1', '3', '1', '6', '老伴生病住院，每月自付两千多元。', '说完了', '是', '是'];

let svc: TestService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

const noticesTo = (s: TestService, userId: string) =>
  s.fake.appMessages.filter((m) => m.touser === userId && String((m.text as { content?: string } | undefined)?.content).includes('新的自主申报'));

describe('WeCom answering 5xx, busy, refused and slow', () => {
  it('cadre notices reach each cadre once WeCom is back, exactly once, and the household is told at once', async () => {
    svc = await startTestService({ env: { OUTBOX_RETRY_BASE_MS: '20' } });
    for (const text of UP_TO_REVIEW) await householdSays(svc, 'wmHousehold01', text);

    // Every way WeCom can fail a send: an HTTP 502, "system busy", a reset connection, and a 6 s answer
    // (past the client's 4 s timeout, but WeCom delivers it anyway).
    svc.fake.failHttpNext('message/send', 502, 3);
    svc.fake.failNext('message/send', -1, 3);
    svc.fake.dropConnectionsNext('message/send', 3);
    svc.fake.delayNext('message/send', 6_000, 1);

    const confirmation = await householdSays(svc, 'wmHousehold01', '1');
    expect(confirmation.join('\n')).toContain('申报已提交');
    expect(noticesTo(svc, 'wangcadre').length + noticesTo(svc, 'zhoucadre').length).toBeLessThan(2);

    await vi.waitFor(
      () => {
        svc!.clock.advance(60_000);
        expect([noticesTo(svc!, 'wangcadre').length, noticesTo(svc!, 'zhoucadre').length]).toEqual([1, 1]);
      },
      { timeout: 20_000, interval: 200 },
    );
    // Nothing more arrives later: the slow send that WeCom delivered is not sent a second time.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await svc.built.settled();
    expect([noticesTo(svc, 'wangcadre').length, noticesTo(svc, 'zhoucadre').length]).toEqual([1, 1]);
    const records = await svc.built.outboxStore.find({ purpose: 'notice' });
    expect(records.map((r) => r.status)).toEqual(['sent', 'sent']);
  });
});
