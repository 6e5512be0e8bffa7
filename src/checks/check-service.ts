import type { Answers } from '../engine/events.js';
import type { Locale } from '../i18n/i18n.js';
import type { StaffMember } from '../org/org.js';
import { monthlyReportDue, shanghaiDate, type IsoDate } from '../policy/index.js';
import { CAMPAIGN_FORMS, type Campaign } from './campaign.js';
import { dayShown, monthShown, type ChecksDeps } from './check-context.js';
import type { DueHousehold } from './due-list.js';
import { readTaskId, taskId, type CheckTask } from './visit-record.js';
import { VisitRecorder } from './visit-recorder.js';
import { CheckProgress } from './check-progress.js';

/**
 * What a check turn asks of the conversation: lines to say, and maybe a flow to start in a slot with answers
 * given (the list to pick from, or a visit's household and what the system knows of it).
 */
export interface CheckStart {
  say: string[];
  flow?: { slotId: string; flowId: string; answers: Answers };
}

/** Conversation slots of the check flows: choosing a task, picking a household, and one per visit (form:…, so 继续 finds it). */
export const CHECK_SLOTS = { task: 'check:task', pick: 'check:pick', visit: (task: string, key: string) => `form:check:${task}:${key}` } as const;

/**
 * The checks by chat. A cadre types 排查 (or taps the card of the 1st): with a campaign open in their villages
 * they choose the task first; then their list for it (who is done, who is left, the report day), a household
 * by number, name or 下一户, and the visit form for it. Township and county staff get the progress of their areas.
 */
export class CheckService {
  readonly recorder: VisitRecorder;
  readonly progress: CheckProgress;

  constructor(private readonly deps: ChecksDeps) {
    this.recorder = new VisitRecorder(deps);
    this.progress = new CheckProgress(deps);
  }

  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.texts.t(locale, key, vars);
  }

  /** 排查. */
  async begin(member: StaffMember, locale: Locale, now: Date): Promise<CheckStart> {
    if (!member.roles.includes('cadre')) return { say: [await this.progress.forStaff(member, locale, now)] };
    const month: CheckTask = { kind: 'monthly', month: shanghaiDate(now).slice(0, 7) };
    const campaigns = await this.campaignsFor(member, now);
    if (campaigns.length === 0) return this.list(member, month, locale, now);
    const tasks: { task: CheckTask; campaign?: Campaign }[] = [{ task: month }, ...campaigns.map((c) => ({ task: { kind: 'campaign', campaignId: c._id } as CheckTask, campaign: c }))];
    const labels = await Promise.all(tasks.map(async ({ task, campaign }) => this.taskLabel(locale, task, await this.deps.dueList.dueFor(member, task, now, campaign), campaign)));
    return {
      say: [],
      flow: { slotId: CHECK_SLOTS.task, flowId: 'check-task', answers: { taskIds: tasks.map((x) => taskId(x.task)), taskLabels: labels, actorUserId: member.userId } },
    };
  }

  /** A task chosen (check-task flow). */
  async chooseTask(member: StaffMember, answers: Answers, locale: Locale, now: Date): Promise<CheckStart> {
    const task = typeof answers.task === 'string' ? readTaskId(answers.task) : undefined;
    if (!task) return { say: [this.t(locale, 'checks:gone')] };
    return this.list(member, task, locale, now);
  }

  /** The cadre's list for a task, and the pick flow over it. */
  async list(member: StaffMember, task: CheckTask, locale: Locale, now: Date): Promise<CheckStart> {
    const campaign = task.kind === 'campaign' ? await this.deps.campaigns.get(task.campaignId) : undefined;
    if (task.kind === 'campaign' && campaign?.status !== 'open') return { say: [this.t(locale, 'checks:campaignClosed')] };
    const due = await this.deps.dueList.dueFor(member, task, now, campaign ?? undefined);
    if (due.length === 0) return { say: [this.t(locale, 'checks:list.empty', { task: this.taskName(locale, task, campaign ?? undefined) })] };
    const done = due.filter((h) => h.done).length;
    const header = this.t(locale, 'checks:list.header', {
      task: this.taskName(locale, task, campaign ?? undefined),
      due: due.length,
      done,
      left: due.length - done,
      until: this.untilShown(locale, task, due[0]!.village, now, campaign ?? undefined),
    });
    const next = due.find((h) => !h.done);
    return {
      say: [header],
      flow: {
        slotId: CHECK_SLOTS.pick,
        flowId: 'check-pick',
        answers: {
          task: taskId(task),
          listKeys: due.map((h) => h.key),
          listLabels: this.householdLabels(locale, due),
          ...(next ? { listNext: next.key } : {}),
          actorUserId: member.userId,
        },
      },
    };
  }

  /** A household picked (check-pick flow): its visit form, with what the system knows of it. */
  async chooseHousehold(member: StaffMember, answers: Answers, locale: Locale, now: Date): Promise<CheckStart> {
    const task = typeof answers.task === 'string' ? readTaskId(answers.task) : undefined;
    const picked = answers.household === 'next' ? answers.listNext : answers.household;
    if (!task || typeof picked !== 'string') return { say: [this.t(locale, 'checks:gone')] };
    return this.recorder.prepare(member, task, picked, locale, now);
  }

  /** A card of the checks tapped: the month's list (the card of the 1st), or a summary forwarded to the county. */
  async click(member: StaffMember, cardTaskId: string, locale: Locale, now: Date): Promise<CheckStart> {
    const m = /^chk_(list|fwd)_((?:monthly-\d{4}-\d{2})|(?:cmp-[0-9a-z-]+))_([0-9A-Za-z]+)_/.exec(cardTaskId);
    const task = m ? readTaskId(m[2]!) : undefined;
    if (!m || !task) return { say: [this.t(locale, 'common:cardExpired')] };
    if (m[1] === 'list') return member.roles.includes('cadre') ? this.list(member, task, locale, now) : { say: [await this.progress.forStaff(member, locale, now)] };
    return { say: [await this.progress.forward(member, task, m[3]!, locale, now)] };
  }

  /** Open campaigns running today with households in the cadre's villages. */
  private async campaignsFor(member: StaffMember, now: Date): Promise<Campaign[]> {
    const today = shanghaiDate(now);
    const villages = this.deps.dueList.villagesUnder(member.areas);
    return (await this.deps.campaigns.open()).filter((c) => c.period.from <= today && villages.some((v) => this.deps.org.contains(c.scope.area, v)));
  }

  private taskName(locale: Locale, task: CheckTask, campaign?: Campaign): string {
    if (task.kind === 'monthly') return this.t(locale, 'checks:task.monthlyName', { month: monthShown(locale, task.month) });
    return this.t(locale, `checks:task.${CAMPAIGN_FORMS[campaign?.form ?? 'central-check'].kind}Name`, { name: campaign?.name ?? '' });
  }

  private taskLabel(locale: Locale, task: CheckTask, due: DueHousehold[], campaign?: Campaign): string {
    return this.t(locale, 'checks:task.label', { task: this.taskName(locale, task, campaign), done: due.filter((h) => h.done).length, due: due.length });
  }

  /** "28日前报送" for the month (the profile's report day, its day-off rule), or the campaign's end. */
  private untilShown(locale: Locale, task: CheckTask, village: string, now: Date, campaign?: Campaign): string {
    if (task.kind === 'campaign') return this.t(locale, 'checks:list.untilCampaign', { date: dayShown(locale, campaign?.period.to ?? '') });
    const due: IsoDate = monthlyReportDue(this.deps.calendar, this.deps.profileFor(village, now), task.month);
    return this.t(locale, 'checks:list.untilReport', { date: dayShown(locale, due) });
  }

  /** The list's labels: head and place, and for namesakes in one place the ID number's last four characters too. */
  private householdLabels(locale: Locale, due: DueHousehold[]): string[] {
    const places = due.map((h) => this.deps.org.placeName(h.group ?? h.village).replace(this.deps.org.area(h.township)?.name ?? '', ''));
    const seen = new Map<string, number>();
    for (const [i, h] of due.entries()) seen.set(`${h.head}|${places[i]}`, (seen.get(`${h.head}|${places[i]}`) ?? 0) + 1);
    return due.map((h, i) => {
      const namesake = (seen.get(`${h.head}|${places[i]}`) ?? 0) > 1;
      const place = namesake ? `${places[i]!}${locale === 'en' ? ', ' : '，'}${this.t(locale, 'checks:pick.idTail', { tail: h.idTail })}` : places[i]!;
      return this.t(locale, h.done ? 'checks:pick.labelDone' : 'checks:pick.label', { head: h.head, place, visits: h.visits });
    });
  }
}

