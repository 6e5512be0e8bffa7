import { DEFAULT_LOCALE } from '../i18n/i18n.js';
import { messagesTo } from '../outbox/outbox-item.js';
import { shanghaiDate } from '../policy/index.js';
import type { ButtonCard } from '../wecom/api.js';
import type { Campaign } from './campaign.js';
import { dayShown, monthShown, type ChecksDeps } from './check-context.js';
import type { CheckProgress } from './check-progress.js';
import { monthBefore, taskId, type CheckTask } from './visit-record.js';

/** A card's task id for the checks: `chk_<what>_<task>_<area or x>_<recipient>` (WeCom allows letters, digits, _-@). */
export function checkCardId(what: 'list' | 'fwd', task: CheckTask, area: string, userId: string): string {
  return `chk_${what}_${taskId(task)}_${area.replace(/[^0-9A-Za-z]/g, '') || 'x'}_${userId.replace(/[^0-9A-Za-z@-]/g, '')}`;
}

/**
 * What the scheduler calls (the reminders' work decides when): each sends through the outbox under ids made
 * from the month or campaign and the recipient, so calling twice sends once.
 */
export class CheckNotices {
  constructor(private readonly deps: ChecksDeps & { progress: CheckProgress }) {}

  private t(key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.texts.t(DEFAULT_LOCALE, key, vars);
  }

  /**
   * The 1st of the month: each cadre with households due gets a card with their count and the report day;
   * its button (开始排查) opens their list. Returns how many cadres were sent one. Called on a later day (the
   * service was down on the 1st) it still sends the month's card, but not from the report day on.
   */
  async monthlyCheckStart(now: Date): Promise<number> {
    const { org, dueList, outbox } = this.deps;
    const today = shanghaiDate(now);
    const task: CheckTask = { kind: 'monthly', month: today.slice(0, 7) };
    let sent = 0;
    for (const member of org.file.staff.filter((m) => m.roles.includes('cadre'))) {
      const due = await dueList.dueFor(member, task, now);
      if (due.length === 0) continue;
      const dueOn = this.deps.progress.reportDue(due[0]!.township, task.month, now);
      if (today >= dueOn) continue;
      const card: ButtonCard = {
        card_type: 'button_interaction',
        main_title: { title: this.t('checks:card.monthlyTitle', { month: monthShown(DEFAULT_LOCALE, task.month) }), desc: this.t('checks:card.monthlyDesc', { count: due.length, date: dayShown(DEFAULT_LOCALE, dueOn) }) },
        task_id: checkCardId('list', task, 'x', member.userId),
        button_list: [{ text: this.t('checks:card.start'), style: 1, key: 'start' }],
      };
      await outbox.enqueue(messagesTo(`checks:${taskId(task)}:start:${member.userId}`, 'reminder', { channel: 'app', userId: member.userId }, [{ type: 'card', card }]));
      sent++;
    }
    return sent;
  }

  /**
   * On the report day (the profile's day of the month, with its day-off rule) each township's reviewers get the
   * township's summary with a button to forward it to the county, and the county's approvers get the county's.
   * A later day of the same month catches up a report day the service missed (the ids make it once); before
   * the report day nothing is sent. A month whose report day moved into the next month (a day off) is reported
   * there. Returns how many summaries were recorded.
   */
  async monthlyCheckReport(now: Date): Promise<number> {
    const today = shanghaiDate(now);
    let sent = 0;
    for (const month of [monthBefore(today.slice(0, 7)), today.slice(0, 7)]) sent += await this.monthReport({ kind: 'monthly', month }, today, now);
    return sent;
  }

  private async monthReport(task: Extract<CheckTask, { kind: 'monthly' }>, today: string, now: Date): Promise<number> {
    const { org, outbox, progress } = this.deps;
    let sent = 0;
    let countyDue: string | undefined;
    for (const township of org.descendants(org.file.county.code, 'township')) {
      const dueOn = progress.reportDue(township.code, task.month, now);
      if (dueOn > today || dueOn.slice(0, 7) !== today.slice(0, 7)) continue;
      countyDue = countyDue && countyDue > dueOn ? countyDue : dueOn;
      const text = progress.text(DEFAULT_LOCALE, task, await progress.summary(task, township.code, now), undefined, dueOn);
      for (const member of org.staffServing(township.code, 'townshipReviewer')) {
        const card: ButtonCard = {
          card_type: 'button_interaction',
          main_title: { title: this.t('checks:card.forwardTitle'), desc: this.t('checks:card.forwardDesc', { place: township.name }) },
          task_id: checkCardId('fwd', task, township.code, member.userId),
          button_list: [{ text: this.t('checks:card.forward'), style: 1, key: 'forward' }],
        };
        await outbox.enqueue(messagesTo(`checks:${taskId(task)}:summary:${township.code}:${member.userId}`, 'digest', { channel: 'app', userId: member.userId }, [{ type: 'text', text }, { type: 'card', card }]));
        sent++;
      }
    }
    if (!countyDue) return sent;
    const county = org.file.county.code;
    const text = progress.text(DEFAULT_LOCALE, task, await progress.summary(task, county, now), undefined, countyDue);
    for (const member of org.staffServing(county, 'countyApprover')) {
      await outbox.enqueue(messagesTo(`checks:${taskId(task)}:summary:${county}:${member.userId}`, 'digest', { channel: 'app', userId: member.userId }, [{ type: 'text', text }]));
      sent++;
    }
    return sent;
  }

  /**
   * A campaign's first day (or the first run after it, while it is open): each cadre with households of theirs in
   * it gets a card with their count and the end date; its button opens their list. Returns how many cards.
   */
  async campaignStart(campaign: Campaign, now: Date): Promise<number> {
    const { org, dueList, outbox, progress } = this.deps;
    const today = shanghaiDate(now);
    if (campaign.status !== 'open' || today < campaign.period.from || today > campaign.period.to) return 0;
    const task: CheckTask = { kind: 'campaign', campaignId: campaign._id };
    let sent = 0;
    for (const member of org.file.staff.filter((m) => m.roles.includes('cadre'))) {
      const due = await dueList.dueFor(member, task, now, campaign);
      if (due.filter((h) => !h.done).length === 0) continue;
      const card: ButtonCard = {
        card_type: 'button_interaction',
        main_title: { title: progress.taskName(DEFAULT_LOCALE, task, campaign), desc: this.t('checks:card.campaignDesc', { count: due.length, date: dayShown(DEFAULT_LOCALE, campaign.period.to) }) },
        task_id: checkCardId('list', task, 'x', member.userId),
        button_list: [{ text: this.t('checks:card.start'), style: 1, key: 'start' }],
      };
      await outbox.enqueue(messagesTo(`checks:${campaign._id}:start:${member.userId}`, 'reminder', { channel: 'app', userId: member.userId }, [{ type: 'card', card }]));
      sent++;
    }
    return sent;
  }

  /** Sends a closed campaign's missing list to the reviewers of its townships and the county's approvers. */
  async campaignClosed(campaign: Campaign, now: Date): Promise<void> {
    const { org, outbox, progress } = this.deps;
    const task: CheckTask = { kind: 'campaign', campaignId: campaign._id };
    const scope = campaign.scope.area;
    const townships = org.area(scope)?.level === 'township' ? [org.area(scope)!] : org.descendants(scope, 'township').filter((t) => org.contains(scope, t.code) || org.contains(t.code, scope));
    const areas = org.area(scope)?.level === 'village' ? [scope] : townships.map((t) => t.code);
    for (const area of areas) {
      const text = this.t('checks:campaign.closed', { summary: progress.text(DEFAULT_LOCALE, task, await progress.summary(task, area, now, campaign), campaign, campaign.period.to) });
      const township = org.lineage(area).find((a) => a.level === 'township')?.code ?? area;
      for (const member of org.staffServing(township, 'townshipReviewer')) {
        await outbox.enqueue(messagesTo(`checks:${campaign._id}:closed:${area}:${member.userId}`, 'notice', { channel: 'app', userId: member.userId }, [{ type: 'text', text }]));
      }
    }
    const text = this.t('checks:campaign.closed', { summary: progress.text(DEFAULT_LOCALE, task, await progress.summary(task, scope, now, campaign), campaign, campaign.period.to) });
    for (const member of org.staffServing(org.file.county.code, 'countyApprover')) {
      await outbox.enqueue(messagesTo(`checks:${campaign._id}:closed:${scope}:${member.userId}`, 'notice', { channel: 'app', userId: member.userId }, [{ type: 'text', text }]));
    }
  }
}
