import { describe, expect, it } from 'vitest';
import { StaffTexts } from '../../src/conversation/staff-texts.js';
import { createTexts } from '../../src/i18n/i18n.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import type { DeadlineItem } from '../../src/reminders/deadline-source.js';
import { digestDateOf, DigestView, MAX_ESCALATED_LINES, MAX_OWN_LINES } from '../../src/reminders/digest-view.js';
import type { Digest } from '../../src/reminders/plan.js';

const org = loadOrgFile(DEMO_ORG_FILE);
const texts = createTexts();
const view = new DigestView({ texts, staff: new StaffTexts(texts), org });

function item(n: number, dueOn: string, area = '430621101201'): DeadlineItem {
  return {
    key: `case:c${n}:measureEntry:${dueOn}`,
    kind: 'measureEntry',
    dueOn,
    unit: 'natural',
    owners: [{ userId: 'wangcadre', role: 'cadre', action: 'recordMeasureEntry' }],
    area,
    caseId: `c${n}`,
    caseNumber: `20261101-${String(n).padStart(4, '0')}`,
    caseVersion: 9,
    stage: 'monitoring',
    head: `户主${n}`,
    place: '青山镇桃源村一组',
  };
}

describe('a digest as staff read it', () => {
  it('lists the most urgent items and counts the rest, escalated ones by place', () => {
    const own = Array.from({ length: MAX_OWN_LINES + 5 }, (_, i) => ({ item: item(i, '2026-12-05'), timing: { kind: 'overdue' as const, days: 2, unit: 'natural' as const } }));
    const escalated = Array.from({ length: MAX_ESCALATED_LINES + 4 }, (_, i) => ({
      item: item(100 + i, '2026-12-01', i < MAX_ESCALATED_LINES ? '430621101201' : '430621101202'),
      timing: { kind: 'overdue' as const, days: 6, unit: 'natural' as const },
      escalated: true,
    }));
    const digest: Digest = { userId: 'lisecretary', date: '2026-12-07', entries: [...own, ...escalated] };
    const [text, card] = view.render('zh-CN', digest);
    const lines = (text as { text: string }).text.split('\n');
    expect(lines[0]).toBe('李书记，2026年12月7日待办提醒：共 32 项。');
    expect(lines.filter((l) => /^\d+\. /.test(l))).toHaveLength(MAX_OWN_LINES + MAX_ESCALATED_LINES);
    expect(lines).toContain('……另有 5 项未列出，回复“我的待办”查看全部。');
    expect(lines).toContain('……另有 4 项下级逾期未办：青山镇柳塘村 4项。');
    expect(lines).toContain('23. 20261101-0107 户主107（青山镇桃源村一组）：帮扶措施录入国家系统（负责人：王建国）');
    expect(card).toMatchObject({ type: 'card', card: { sub_title_text: '已逾期 20 项，今天到期 0 项，即将到期 0 项，催办 12 项。详见上一条消息。' } });
    expect(digestDateOf((card as { card: { task_id: string } }).card.task_id)).toBe('2026-12-07');
  });

  it('reads in English too, with plural forms', () => {
    const digest: Digest = { userId: 'wangcadre', date: '2026-12-07', entries: [{ item: item(1, '2026-12-08'), timing: { kind: 'before', days: 1, unit: 'natural' } }] };
    const [text] = view.render('en', digest);
    expect((text as { text: string }).text.split('\n').slice(0, 3)).toEqual([
      '王建国, your reminder for 7 Dec 2026: 1 item.',
      '[Due 8 Dec 2026 · 1 day left]',
      '1. 20261101-0001 户主1 (青山镇桃源村一组): enter the measures in the national system',
    ]);
  });
});
