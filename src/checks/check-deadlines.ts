import { DEFAULT_LOCALE } from '../i18n/i18n.js';
import type { Role } from '../org/org.js';
import type { IsoDate } from '../policy/dates.js';
import type { DeadlineItem, DeadlineKind, DeadlineSource } from '../reminders/deadline-source.js';
import { shanghaiInstant } from '../reminders/quiet-hours.js';
import type { Campaign } from './campaign.js';
import { monthShown, type ChecksDeps } from './check-context.js';
import type { CheckProgress } from './check-progress.js';
import type { DueHousehold } from './due-list.js';
import { monthBefore, taskId, type CheckTask } from './visit-record.js';

type Deps = ChecksDeps & { progress: CheckProgress };

/** A Date on `today` in China (midday), for what asks for an instant (the profile a village runs under). */
function dayOf(today: IsoDate): Date {
  return shanghaiInstant(today, '12:00');
}

/**
 * The open items of one task in one township: for each cadre and village, the households of theirs not yet
 * visited (owned by that cadre, in the village, so escalation climbs to the village's secretary first), and for
 * the township, all its households not yet visited (owned by its reviewers, who report the month to the county).
 * Nothing is open once every household due has been visited.
 */
function itemsOf(deps: Deps, spec: { prefix: string; kind: DeadlineKind; task: CheckTask; township: string; dueOn: IsoDate; label: (place: string, count: number) => string }, due: DueHousehold[]): DeadlineItem[] {
  const { org } = deps;
  const left = due.filter((h) => !h.done);
  if (left.length === 0) return [];
  const ids = spec.task.kind === 'monthly' ? { checkId: taskId(spec.task) } : { campaignId: spec.task.campaignId };
  const byOwner = new Map<string, { owner: string; village: string; count: number }>();
  for (const h of left) {
    for (const owner of h.owners) {
      const k = `${h.village}:${owner.toLowerCase()}`;
      const entry = byOwner.get(k) ?? { owner, village: h.village, count: 0 };
      entry.count++;
      byOwner.set(k, entry);
    }
  }
  const items: DeadlineItem[] = [...byOwner.values()].map(({ owner, village, count }) => {
    const roles = org.findStaff(owner)?.roles ?? [];
    const role: Role = roles.includes('cadre') ? 'cadre' : (roles[0] ?? 'cadre');
    return {
      key: `${spec.prefix}:${village}:${owner.toLowerCase()}:${spec.dueOn}`,
      kind: spec.kind,
      dueOn: spec.dueOn,
      unit: 'natural',
      owners: [{ userId: owner, role }],
      area: village,
      ...ids,
      label: spec.label(org.placeName(village), count),
    };
  });
  const reviewers = org.staffServing(spec.township, 'townshipReviewer');
  if (reviewers.length > 0) {
    items.push({
      key: `${spec.prefix}:${spec.township}:township:${spec.dueOn}`,
      kind: spec.kind,
      dueOn: spec.dueOn,
      unit: 'natural',
      owners: reviewers.map((m) => ({ userId: m.userId, role: 'townshipReviewer' as const })),
      area: spec.township,
      ...ids,
      label: spec.label(org.placeName(spec.township), left.length),
    });
  }
  return items;
}

/**
 * The monthly check's deadline (定期排查, reported by the profile's report day, the 28th in Hunan) as reminders see
 * it: keys `check:<month>:<village or township>:<user or "township">:<due date>`. The month in course counts,
 * and the month before while its report day (moved off a day off) falls in this month; a month past its own
 * stays overdue until the month ends, then the next month's list takes over.
 */
export class CheckDeadlines implements DeadlineSource {
  readonly name = 'check';

  constructor(private readonly deps: Deps) {}

  async openItems(today: IsoDate): Promise<DeadlineItem[]> {
    const townships = this.deps.org.descendants(this.deps.org.file.county.code, 'township').map((t) => t.code);
    return this.itemsFor(today, townships);
  }

  async stillOpen(keys: readonly string[], today: IsoDate): Promise<DeadlineItem[]> {
    const { org } = this.deps;
    // Only the townships the keys name are looked at again (a digest's guard asks for one person's few items).
    const townships = new Set<string>();
    for (const key of keys) {
      const area = key.split(':')[2] ?? '';
      const township = org.lineage(area).find((a) => a.level === 'township')?.code;
      if (township) townships.add(township);
    }
    const wanted = new Set(keys);
    return (await this.itemsFor(today, [...townships])).filter((item) => wanted.has(item.key));
  }

  private async itemsFor(today: IsoDate, townships: readonly string[]): Promise<DeadlineItem[]> {
    const { dueList, progress } = this.deps;
    const now = dayOf(today);
    const thisMonth = today.slice(0, 7);
    const items: DeadlineItem[] = [];
    for (const month of [monthBefore(thisMonth), thisMonth]) {
      const task: CheckTask = { kind: 'monthly', month };
      for (const township of townships) {
        const dueOn = progress.reportDue(township, month, now);
        if (month !== thisMonth && dueOn.slice(0, 7) !== thisMonth) continue;
        const due = await dueList.due(task, dueList.villagesUnder([township]), now);
        const label = (place: string, count: number) => this.deps.texts.t(DEFAULT_LOCALE, 'checks:deadline.label', { task: this.deps.texts.t(DEFAULT_LOCALE, 'checks:task.monthlyName', { month: monthShown(DEFAULT_LOCALE, month) }), place, count });
        items.push(...itemsOf(this.deps, { prefix: `check:${month}`, kind: 'monthlyReport', task, township, dueOn, label }, due));
      }
    }
    return items;
  }
}

/**
 * A campaign's end (集中排查, 回头看) as reminders see it, from its first day until it closes: keys
 * `campaign:<id>:<village or township>:<user or "township">:<end date>`. A closed campaign has nothing open
 * (its missing list went out when it closed).
 */
export class CampaignDeadlines implements DeadlineSource {
  readonly name = 'campaign';

  constructor(private readonly deps: Deps) {}

  async openItems(today: IsoDate): Promise<DeadlineItem[]> {
    const items: DeadlineItem[] = [];
    for (const campaign of await this.deps.campaigns.open()) items.push(...(await this.itemsOf(campaign, today)));
    return items;
  }

  async stillOpen(keys: readonly string[], today: IsoDate): Promise<DeadlineItem[]> {
    const wanted = new Set(keys);
    const ids = new Set(keys.map((k) => k.split(':')[1] ?? ''));
    const items: DeadlineItem[] = [];
    for (const id of ids) {
      const campaign = await this.deps.campaigns.get(id);
      if (campaign?.status === 'open') items.push(...(await this.itemsOf(campaign, today)).filter((item) => wanted.has(item.key)));
    }
    return items;
  }

  private async itemsOf(campaign: Campaign, today: IsoDate): Promise<DeadlineItem[]> {
    if (campaign.status !== 'open' || today < campaign.period.from) return [];
    const { org, dueList, progress } = this.deps;
    const now = dayOf(today);
    const task: CheckTask = { kind: 'campaign', campaignId: campaign._id };
    const scope = campaign.scope.area;
    const level = org.area(scope)?.level;
    // The townships the campaign reaches: the one it is in (scope a township or a village), or all under it.
    const townships = level === 'township' || level === 'village' ? [org.lineage(scope).find((a) => a.level === 'township')!.code] : org.descendants(scope, 'township').map((t) => t.code);
    const label = (place: string, count: number) => this.deps.texts.t(DEFAULT_LOCALE, 'checks:deadline.label', { task: progress.taskName(DEFAULT_LOCALE, task, campaign), place, count });
    const items: DeadlineItem[] = [];
    for (const township of townships) {
      const villages = dueList.villagesUnder([level === 'village' ? scope : township]);
      const due = await dueList.due(task, villages, now, campaign);
      items.push(...itemsOf(this.deps, { prefix: `campaign:${campaign._id}`, kind: 'campaignEnd', task, township, dueOn: campaign.period.to, label }, due));
    }
    return items;
  }
}
