import { afterEach, describe, expect, it } from 'vitest';
import { messagesTo, messagesToStaff, type OutboxItem } from '../../src/outbox/outbox-item.js';
import { startTestService, type TestService } from '../helpers/test-app.js';

/**
 * WeCom answering "system busy" (-1), "frequency limit" (45009), a proxy's 502, a dropped connection, and an
 * answer so slow the client gives up while WeCom delivers anyway: every message still goes out, and once.
 */
let svc: TestService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

const STAFF = Array.from({ length: 40 }, (_, i) => `member${String(i).padStart(2, '0')}`);
const contentOf = (m: Record<string, unknown>) => (m.text as { content: string }).content;

describe('the outbox against a misbehaving WeCom', () => {
  it('sends every message exactly once in the end', { timeout: 60_000 }, async () => {
    svc = await startTestService({ env: { OUTBOX_RETRY_BASE_MS: '20', OUTBOX_RATE_LIMIT_WAIT_MS: '300' } });
    const fake = svc.fake;
    fake.failNext('message/send', -1, 7); // busy: the client retries 3 times, then the outbox backs off
    fake.failNext('message/send', 45009, 3); // frequency limit: the outbox waits before the next try
    fake.failHttpNext('message/send', 502, 4);
    fake.dropConnectionsNext('message/send', 2);
    fake.delayNext('message/send', 6_000, 1); // past the client's 4 s timeout; WeCom delivers it anyway

    const items: OutboxItem[] = [
      ...STAFF.map((userId, i) => messagesTo(`test:reminder:${userId}`, 'reminder', { channel: 'app', userId }, [{ type: 'text', text: `提醒 ${i}：请办理待办事项` }])).flat(),
      // The same words to ten people: one send ("a|b|…").
      ...messagesToStaff('test:notice:all', 'notice', STAFF.slice(0, 10), [{ type: 'text', text: '明天9点村委会开会' }]),
    ];
    await svc.built.outbox.enqueue(items);
    // Recorded twice (a retried request, a second instance): still once.
    await svc.built.outbox.enqueue(items.slice(0, 5));

    // Retries are due by the service's clock, which the test moves on a second at a time.
    await expect
      .poll(
        async () => {
          svc!.clock.advance(1_000);
          return (await svc!.built.outboxStore.find({ status: 'sent' })).length;
        },
        { timeout: 45_000, interval: 200 },
      )
      .toBe(items.length);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // the slow answer has come back by now
    const delivered = fake.appMessages.map((m) => `${String(m.touser)} ${contentOf(m)}`);
    for (const [i, userId] of STAFF.entries()) expect(delivered.filter((d) => d === `${userId} 提醒 ${i}：请办理待办事项`), userId).toHaveLength(1);
    expect(fake.appMessages.filter((m) => contentOf(m) === '明天9点村委会开会').map((m) => m.touser)).toEqual([STAFF.slice(0, 10).join('|')]);
    expect(delivered).toHaveLength(items.length);

    const records = await svc.built.outboxStore.find({});
    expect(records.every((r) => r.status === 'sent')).toBe(true);
    // The faults were met: some messages took more than one try, and WeCom was asked more often than it delivered.
    expect(records.filter((r) => r.attempts > 1).length).toBeGreaterThan(0);
    expect(fake.calls.filter((c) => c.api === 'message/send').length).toBeGreaterThan(items.length);
  });
});
