import { describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { loadWorkCalendar } from '../../src/policy/index.js';
import type { DeadlineItem } from '../../src/reminders/deadline-source.js';
import { planDigests, type Digest } from '../../src/reminders/plan.js';

const org = loadOrgFile(DEMO_ORG_FILE);
const calendar = loadWorkCalendar();
const settings = { daysBefore: [3, 1, 0], escalateAfterDays: [2, 5, 10] };
const VILLAGE = '430621101201'; // 桃源村: cadres 王建国 and 周志强, secretary 李书记; township 陈镇长; county 刘局长

/** A case item owned by the village's cadres (an assistance plan, say). */
function item(n: number, dueOn: string, extra: Partial<DeadlineItem> = {}): DeadlineItem {
  return {
    key: `case:c${n}:assistancePlan:${dueOn}`,
    kind: 'assistancePlan',
    dueOn,
    unit: 'natural',
    owners: [
      { userId: 'wangcadre', role: 'cadre', action: 'recordAssistancePlan' },
      { userId: 'zhoucadre', role: 'cadre', action: 'recordAssistancePlan' },
    ],
    area: VILLAGE,
    caseId: `c${n}`,
    caseNumber: `20261101-000${n}`,
    ...extra,
  };
}

const plan = (items: DeadlineItem[], today: string, acknowledged: string[] = []) => planDigests(items, { today, settings, calendar, org, acknowledged: new Set(acknowledged) });
/** Each person's digest as `userId: case(+days or -days)[^ when escalated]`. */
const summary = (digests: Digest[]) =>
  Object.fromEntries(digests.map((d) => [d.userId, d.entries.map((e) => `${e.item.caseNumber!.slice(-1)}${e.timing.kind === 'overdue' ? '+' : '-'}${e.timing.days}${e.escalated ? '^' : ''}`)]));

describe('the daily digests', () => {
  it('hold one line per item due on a reminder day, by due date with the overdue first, for each of its owners', () => {
    const items = [item(1, '2026-12-10'), item(2, '2026-12-05'), item(3, '2026-12-08'), item(4, '2026-12-07'), item(5, '2026-12-09')];
    // 7 December: 2 is two days late, 4 due today, 3 due tomorrow, 1 due in three days; 5 (two days left) is no reminder day.
    expect(summary(plan(items, '2026-12-07'))).toEqual({
      // 2 days late: it climbed one rung, to the village secretary.
      lisecretary: ['2+2^'],
      wangcadre: ['2+2', '4-0', '3-1', '1-3'],
      zhoucadre: ['2+2', '4-0', '3-1', '1-3'],
    });
  });

  it('climb the area tree while overdue: village secretary after 2 days, township after 5, county after 10', () => {
    const items = [item(1, '2026-12-01')];
    const on = (day: string) => summary(plan(items, day));
    expect(on('2026-12-02')).toEqual({ wangcadre: ['1+1'], zhoucadre: ['1+1'] });
    expect(on('2026-12-03')).toEqual({ lisecretary: ['1+2^'], wangcadre: ['1+2'], zhoucadre: ['1+2'] });
    expect(on('2026-12-06')).toEqual({ chentownship: ['1+5^'], lisecretary: ['1+5^'], wangcadre: ['1+5'], zhoucadre: ['1+5'] });
    expect(on('2026-12-11')).toEqual({ chentownship: ['1+10^'], liucounty: ['1+10^'], lisecretary: ['1+10^'], wangcadre: ['1+10'], zhoucadre: ['1+10'] });
  });

  it('stop climbing once the item is acknowledged; its owners are still reminded until it is done', () => {
    const items = [item(1, '2026-12-01')];
    expect(summary(plan(items, '2026-12-06', [items[0]!.key]))).toEqual({ wangcadre: ['1+5'], zhoucadre: ['1+5'] });
  });

  it('never remind of what is done: a done item is not among the open ones, and one done by acknowledging is closed', () => {
    const told = item(1, '2026-12-01', { kind: 'rejectionNotice', doneWhenAcknowledged: true });
    expect(plan([told], '2026-12-02', [told.key])).toEqual([]);
    expect(plan([], '2026-12-02')).toEqual([]);
  });

  it('start a township-owned item one rung higher, and skip a rung with nobody on it', () => {
    const township = item(1, '2026-12-01', { owners: [{ userId: 'chentownship', role: 'townshipReviewer', action: 'townshipApprove' }] });
    expect(summary(plan([township], '2026-12-03'))).toEqual({ chentownship: ['1+2'], liucounty: ['1+2^'] });
    // 石门村 has no village secretary and 白水乡 no township reviewer: 2 days late goes straight to the county.
    const stone = item(2, '2026-12-01', { area: '430621102201', owners: [{ userId: 'zhaocadre', role: 'cadre' }] });
    expect(summary(plan([stone], '2026-12-03'))).toEqual({ liucounty: ['2+2^'], zhaocadre: ['2+2'] });
  });

  it('give an escalated person their own line when they also own the item', () => {
    const both = item(1, '2026-12-01', { owners: [{ userId: 'wangcadre', role: 'cadre' }, { userId: 'lisecretary', role: 'villageSecretary' }] });
    expect(summary(plan([both], '2026-12-03'))).toEqual({ chentownship: ['1+2^'], lisecretary: ['1+2'], wangcadre: ['1+2'] });
  });
});
