import type { Locale } from '../i18n/i18n.js';
import { messagesTo } from '../outbox/outbox-item.js';
import type { StaffMember } from '../org/org.js';
import { monthlyReportDue, shanghaiDate } from '../policy/index.js';
import { CAMPAIGN_FORMS, type Campaign } from './campaign.js';
import { dayShown, monthShown, type ChecksDeps } from './check-context.js';
import type { DueHousehold } from './due-list.js';
import { type CheckTask } from './visit-record.js';

/**
 * Where a task stands in an area: how many due, done and missing, the missing by village and by cadre, the
 * new risks found and the leads opened.
 * @example { "area": "430621101", "due": 5, "done": 3, "newRisks": 1, "leads": 1,
 *   "villages": [{ "code": "430621101201", "name": "桃源村", "due": 3, "done": 2, "missing": ["张三"] }],
 *   "cadres": [{ "userId": "wangcadre", "name": "王建国", "due": 3, "missing": 1 }] }
 */
export interface CheckSummary {
  area: string;
  due: number;
  done: number;
  /** Households visited whose visit found a new risk or a serious sudden hardship. */
  newRisks: number;
  /** Leads opened from visits. */
  leads: number;
  villages: { code: string; name: string; due: number; done: number; missing: string[] }[];
  cadres: { userId: string; name: string; due: number; missing: number }[];
  /** The households not visited, for a campaign's missing list. */
  missing: DueHousehold[];
}

/** Summaries and progress of checks, by chat and for the admin API. */
export class CheckProgress {
  constructor(private readonly deps: ChecksDeps) {}

  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.texts.t(locale, key, vars);
  }

  async summary(task: CheckTask, area: string, now: Date, campaign?: Campaign): Promise<CheckSummary> {
    const { dueList, visits, org } = this.deps;
    const villages = dueList.villagesUnder([area]);
    const due = await dueList.due(task, villages, now, campaign);
    const records = await visits.forTask(task, villages);
    const risky = new Set(records.filter((v) => v.newRisks.length > 0 || v.suddenHardship).map((v) => v.householdKey));
    const cadres = new Map<string, { userId: string; name: string; due: number; missing: number }>();
    for (const h of due) {
      for (const owner of h.owners) {
        const c = cadres.get(owner) ?? { userId: owner, name: org.findStaff(owner)?.name ?? owner, due: 0, missing: 0 };
        c.due++;
        if (!h.done) c.missing++;
        cadres.set(owner, c);
      }
    }
    return {
      area,
      due: due.length,
      done: due.filter((h) => h.done).length,
      newRisks: risky.size,
      leads: new Set(records.filter((v) => v.leadCaseId).map((v) => v.leadCaseId)).size,
      villages: villages.map((code) => {
        const here = due.filter((h) => h.village === code);
        return { code, name: org.area(code)?.name ?? code, due: here.length, done: here.filter((h) => h.done).length, missing: here.filter((h) => !h.done).map((h) => h.head) };
      }),
      cadres: [...cadres.values()],
      missing: due.filter((h) => !h.done),
    };
  }

  /** The summary as a message: counts, the missing by village and by cadre, what was found. */
  text(locale: Locale, task: CheckTask, s: CheckSummary, campaign?: Campaign, dueOn?: string): string {
    const none = this.t(locale, 'checks:summary.none');
    const sep = locale === 'zh-CN' ? '；' : '; ';
    const byVillage = s.villages.filter((v) => v.missing.length > 0).map((v) => this.t(locale, 'checks:summary.village', { name: v.name, count: v.missing.length, names: v.missing.join(locale === 'zh-CN' ? '、' : ', ') }));
    const byCadre = s.cadres.filter((c) => c.missing > 0).map((c) => this.t(locale, 'checks:summary.cadre', { name: c.name, count: c.missing }));
    return this.t(locale, 'checks:summary.text', {
      place: this.deps.org.area(s.area)?.name ?? s.area,
      task: this.taskName(locale, task, campaign),
      until: dueOn ? this.t(locale, task.kind === 'monthly' ? 'checks:summary.dueOn' : 'checks:summary.endsOn', { date: dayShown(locale, dueOn) }) : '',
      due: s.due,
      done: s.done,
      missing: s.due - s.done,
      byVillage: byVillage.length ? byVillage.join(sep) : none,
      byCadre: byCadre.length ? byCadre.join(sep) : none,
      newRisks: s.newRisks,
      leads: s.leads,
    });
  }

  /** 排查 from township or county staff (or a village secretary): the month and the open campaigns in their areas. */
  async forStaff(member: StaffMember, locale: Locale, now: Date): Promise<string> {
    const month: CheckTask = { kind: 'monthly', month: shanghaiDate(now).slice(0, 7) };
    const parts: string[] = [];
    for (const area of member.areas) {
      parts.push(this.text(locale, month, await this.summary(month, area, now), undefined, this.reportDue(area, month.month, now)));
      for (const c of await this.deps.campaigns.open()) {
        if (!this.deps.org.contains(c.scope.area, area) && !this.deps.org.contains(area, c.scope.area)) continue;
        const scope = this.deps.org.contains(c.scope.area, area) ? area : c.scope.area;
        parts.push(this.text(locale, { kind: 'campaign', campaignId: c._id }, await this.summary({ kind: 'campaign', campaignId: c._id }, scope, now, c), c, c.period.to));
      }
    }
    return parts.join('\n\n');
  }

  /** The township's summary forwarded to the county by its reviewer (the button on the report-day card). */
  async forward(member: StaffMember, task: CheckTask, area: string, locale: Locale, now: Date): Promise<string> {
    const { org } = this.deps;
    if (!org.area(area) || !org.serves(member, 'townshipReviewer', area)) return this.t(locale, 'checks:forward.notYours');
    const campaign = task.kind === 'campaign' ? ((await this.deps.campaigns.get(task.campaignId)) ?? undefined) : undefined;
    const dueOn = task.kind === 'monthly' ? this.reportDue(area, task.month, now) : campaign?.period.to;
    const text = this.t('zh-CN', 'checks:forward.toCounty', { from: member.name, summary: this.text('zh-CN', task, await this.summary(task, area, now, campaign), campaign, dueOn) });
    const county = org.staffServing(org.file.county.code, 'countyApprover');
    for (const to of county) {
      const id = `checks:${task.kind === 'monthly' ? `monthly-${task.month}` : task.campaignId}:forward:${area}:${to.userId}`;
      await this.deps.outbox.enqueue(messagesTo(id, 'notice', { channel: 'app', userId: to.userId }, [{ type: 'text', text }]));
    }
    return this.t(locale, 'checks:forward.done', { names: county.map((m) => m.name).join('、') || '—' });
  }

  reportDue(area: string, month: string, now: Date): string {
    const village = this.deps.dueList.villagesUnder([area])[0] ?? area;
    return monthlyReportDue(this.deps.calendar, this.deps.profileFor(village, now), month);
  }

  /** The task as staff know it: "2026年12月定期排查", 集中排查“…”, 回头看“…”. */
  taskName(locale: Locale, task: CheckTask, campaign?: Campaign): string {
    if (task.kind === 'monthly') return this.t(locale, 'checks:task.monthlyName', { month: monthShown(locale, task.month) });
    return this.t(locale, `checks:task.${CAMPAIGN_FORMS[campaign?.form ?? 'central-check'].kind}Name`, { name: campaign?.name ?? '' });
  }
}
