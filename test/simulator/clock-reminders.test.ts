import { afterEach, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../src/simulator/transcripts.js';
import { answers, casesOn } from '../helpers/case-world.js';
import { on } from '../procedure/harness.js';
import { startSimulatorOverHttp } from './simulator-over-http.js';

/**
 * Local mode's 快进 runs what the daily scheduler would have run on the new date: a tester who moves a case
 * past its deadline sees the reminders and the escalation at once, one digest for the day they land on (not
 * one per skipped day), and nothing twice.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// 2026-11-22 16:00 in China, after the 08:30 digest time.
function startSimulator(env: Record<string, string> = {}) {
  return startSimulatorOverHttp(cleanups, { env: { REMINDERS_ENABLED: 'true', ...env }, movableClock: true });
}

async function fastForward(url: string, days: number): Promise<void> {
  const res = await fetch(`${url}/simulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days }) });
  expect(res.status).toBe(200);
}

async function botTexts(url: string, userId: string): Promise<string[]> {
  const res = await fetch(`${url}/simulator/transcript?channel=app&id=${userId}`);
  const { entries } = (await res.json()) as { entries: TranscriptEntry[] };
  return entries.flatMap((e) => (e.from === 'bot' && e.kind === 'text' ? [e.text] : []));
}

async function digestCards(url: string, userId: string): Promise<string[]> {
  const res = await fetch(`${url}/simulator/transcript?channel=app&id=${userId}`);
  const { entries } = (await res.json()) as { entries: TranscriptEntry[] };
  return entries.flatMap((e) => (e.from === 'bot' && e.kind === 'card' && e.card.title === '待办提醒' ? [e.card.buttons.map((b) => b.text).join('/')] : []));
}

describe('快进 and the daily reminders (local mode)', () => {
  it('moving past a deadline brings the day\'s digest and escalation at once; the same day again sends nothing twice', async () => {
    const { svc, url } = await startSimulator();
    await svc.built.settled();
    // A lead found today: identification is due on 7 December (15 natural days, Hunan).
    const cases = await casesOn(svc.docs);
    await cases.declarations.declare(answers({ householdHead: '张德福', idNumber: '430621195805121238' }), { channel: 'kf', openKfId: 'wkFpfpHelpDesk01', externalUserId: 'wmClock01' }, on('2026-11-22', '15:00'));
    expect(await botTexts(url, 'lisecretary')).toEqual([]);

    // 12 days on: 4 December, three days before the deadline.
    await fastForward(url, 12);
    await svc.built.settled();
    const first = await botTexts(url, 'lisecretary');
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^李书记，2026年12月4日待办提醒：共 1 项。\n【2026年12月7日到期 · 还有3天】\n1\. 20261122-0001 张德福/);
    expect(await digestCards(url, 'lisecretary')).toEqual(['去办理/已知晓']);

    // The scheduler's own tick later the same day, or another move's catch-up: nothing more.
    await svc.built.clockMoved();
    await svc.built.settled();
    expect(await botTexts(url, 'lisecretary')).toHaveLength(1);

    // 5 more days: 9 December, two days overdue. One digest for that day, not one per day skipped; the
    // county is told too (the lead climbed past its owners).
    await fastForward(url, 5);
    await svc.built.settled();
    const second = await botTexts(url, 'lisecretary');
    expect(second).toHaveLength(2);
    expect(second[1]).toMatch(/^李书记，2026年12月9日待办提醒：共 1 项。\n【2026年12月7日到期 · 已逾期2天】/);
    const county = await botTexts(url, 'liucounty');
    expect(county).toHaveLength(1);
    expect(county[0]).toMatch(/^刘局长，2026年12月9日待办提醒：共 1 项。\n—— 下级逾期未办（催办）——/);
    expect(svc.fake.appMessages.filter((m) => m.touser === 'lisecretary' && m.msgtype === 'text')).toHaveLength(2);
  });

  it('a digest still waiting when the clock moves past its day is not sent late: the new day\'s digest says what is open', async () => {
    const { svc, url } = await startSimulator({ REMINDER_DIGEST_AT: '07:00' });
    await svc.built.settled();
    const cases = await casesOn(svc.docs);
    await cases.declarations.declare(answers({ householdHead: '张德福', idNumber: '430621195805121238' }), { channel: 'kf', openKfId: 'wkFpfpHelpDesk01', externalUserId: 'wmClock01' }, on('2026-11-22', '15:00'));
    // 4 December 07:10: the day is planned, its digest waits for the end of quiet hours (08:00).
    svc.clock.set(on('2026-12-04', '07:10'));
    await svc.built.clockMoved();
    await svc.built.settled();
    expect(await botTexts(url, 'lisecretary')).toEqual([]);
    // Moved two days on before it went out: at 08:00 on the 6th only the 6th's digest goes.
    await fastForward(url, 2);
    svc.clock.set(on('2026-12-06', '08:00'));
    await svc.built.outbox.sweep(true);
    await svc.built.settled();
    const status = (await svc.built.outboxStore.find({ purpose: 'digest' })).filter((r) => r._id.endsWith(':lisecretary')).map((r) => [r._id, r.status, r.reason ?? '']);
    expect(status).toEqual([
      ['reminders:digest:2026-12-04:lisecretary', 'cancelled', "superseded by a later day's digest"],
      ['reminders:digest:2026-12-06:lisecretary', 'sent', ''],
    ]);
    const texts = await botTexts(url, 'lisecretary');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^李书记，2026年12月6日待办提醒：共 1 项。\n【2026年12月7日到期 · 还有1天】/);
  });
});
