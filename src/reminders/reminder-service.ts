import type { Logger } from 'pino';
import { DEFAULT_LOCALE } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import type { Delivery, Outbox } from '../outbox/outbox-item.js';
import type { GuardVerdict } from '../outbox/delivery-guard.js';
import type { OutboxRecord } from '../outbox/outbox-store.js';
import type { WorkCalendar } from '../policy/calendar.js';
import { shanghaiDate, type IsoDate } from '../policy/dates.js';
import type { Clock } from '../shared/clock.js';
import type { StateStore } from '../stores/state-store.js';
import { sourceOf, type DeadlineItem, type DeadlineKind, type DeadlineSource } from './deadline-source.js';
import { digestId, type DigestView } from './digest-view.js';
import { planDigests, type Digest } from './plan.js';
import { outsideQuietHours, shanghaiInstant } from './quiet-hours.js';
import type { ReminderAcks } from './reminder-acks.js';
import type { ReminderSettings } from './reminder-settings.js';

/**
 * One line of the preview: who would be reminded of what, and when it would go out.
 * @example { "recipient": "wangcadre", "name": "王建国", "kind": "assistancePlan", "caseId": "5f0c…", "caseNumber": "20261122-0001",
 *   "area": "430621101201", "dueOn": "2026-12-02", "escalated": false, "timing": "overdue", "days": 2, "sendAt": "2026-12-04T00:30:00.000Z" }
 */
export interface PreviewLine {
  recipient: string;
  name?: string;
  kind: DeadlineKind;
  caseId?: string;
  caseNumber?: string;
  checkId?: string;
  campaignId?: string;
  area: string;
  dueOn: IsoDate;
  escalated: boolean;
  timing: 'before' | 'overdue';
  days: number;
  sendAt: string;
}

const DIGEST_ID = /^reminders:digest:(\d{4}-\d{2}-\d{2}):(.+)$/;
/** The "this day is planned" mark outlives the day, so a restart the same day does not plan it again. */
const PLANNED_MARK_MS = 2 * 86_400_000;

export interface ReminderServiceDeps {
  sources: readonly DeadlineSource[];
  outbox: Outbox;
  acks: ReminderAcks;
  view: DigestView;
  org: Org;
  calendar: WorkCalendar;
  settings: ReminderSettings;
  state: StateStore;
  clock: Clock;
  logger: Logger;
}

/**
 * Deadline reminders: once a day, at the digest time (after quiet hours), every person with something on a
 * reminder day, or climbed to them, gets one digest through the outbox, under an id fixed by day and person
 * (every instance may plan the day; each digest goes out once). Just before it goes out a digest is looked at
 * again (`guard`): what was done meanwhile is dropped, and a digest with nothing left is cancelled.
 */
export class ReminderService {
  constructor(private readonly deps: ReminderServiceDeps) {}

  /** The scheduler's run: plans and records today's digests once it is past the digest time. Returns how many were recorded. */
  async tick(): Promise<number> {
    const { clock, settings, state, logger } = this.deps;
    const now = clock.now();
    const today = shanghaiDate(now);
    if (now < shanghaiInstant(today, settings.digestAt)) return 0;
    const mark = `reminders:planned:${today}`;
    if ((await state.get(mark)) !== null) return 0;
    const sendAt = outsideQuietHours(now, settings.quietHours);
    // Planned so late that quiet hours push it into tomorrow: tomorrow's own digest says it all.
    if (shanghaiDate(sendAt) !== today) {
      await state.set(mark, 'late', PLANNED_MARK_MS);
      logger.info({ date: today }, 'reminders: the day was not planned before quiet hours; tomorrow\'s digest covers it');
      return 0;
    }
    const digests = await this.plan(today);
    for (const digest of digests) {
      await this.deps.outbox.enqueue([
        {
          id: digestId(today, digest.userId),
          purpose: 'digest',
          delivery: { type: 'messages', to: { channel: 'app', userId: digest.userId }, messages: this.deps.view.render(DEFAULT_LOCALE, digest) },
          items: digest.entries.map((e) => e.item.key),
          ...(sendAt > now ? { notBefore: sendAt } : {}),
        },
      ]);
    }
    await state.set(mark, '1', PLANNED_MARK_MS);
    logger.info({ date: today, digests: digests.length, entries: digests.reduce((n, d) => n + d.entries.length, 0) }, 'reminders planned');
    return digests.length;
  }

  /** The digests of `today`, from every source's open items and the acknowledgements so far. */
  async plan(today: IsoDate): Promise<Digest[]> {
    const items = (await Promise.all(this.deps.sources.map((s) => s.openItems(today)))).flat();
    return this.digestsOf(items, today);
  }

  /**
   * What would go out on the day of `at` (in China), without sending or recording anything: every line of every
   * digest, with the time it would go out (the digest time, after quiet hours).
   */
  async preview(at: Date): Promise<PreviewLine[]> {
    const today = shanghaiDate(at);
    const sendAt = outsideQuietHours(shanghaiInstant(today, this.deps.settings.digestAt), this.deps.settings.quietHours).toISOString();
    return (await this.plan(today)).flatMap((digest) =>
      digest.entries.map(({ item, timing, escalated }) => {
        const name = this.deps.org.findStaff(digest.userId)?.name;
        return {
          recipient: digest.userId,
          ...(name ? { name } : {}),
          kind: item.kind,
          ...pick(item, ['caseId', 'caseNumber', 'checkId', 'campaignId']),
          area: item.area,
          dueOn: item.dueOn,
          escalated: Boolean(escalated),
          timing: timing.kind,
          days: timing.days,
          sendAt,
        };
      }),
    );
  }

  /**
   * The outbox asks just before a digest goes out: it is cancelled when all it reminds of is done (or, escalated
   * items, acknowledged) or its day is over, sent as it is when nothing changed, and rewritten with what is left otherwise.
   */
  async guard(record: OutboxRecord, delivery: Delivery): Promise<GuardVerdict> {
    const m = DIGEST_ID.exec(record._id);
    if (!m || !record.items || delivery.type !== 'messages') return { kind: 'send' };
    const [date, userId] = [m[1]!, m[2]!];
    // Its day has passed (it waited out a WeCom outage, or local mode's clock was moved past it): that day's
    // reminders are stale, and today's digest, planned on its own, says what is still open.
    if (date < shanghaiDate(this.deps.clock.now())) return { kind: 'cancel', reason: 'superseded by a later day\'s digest' };
    const keys = record.items;
    const fresh = await this.stillOpen(keys, date);
    const digest = (await this.digestsOf(fresh, date)).find((d) => d.userId.toLowerCase() === userId);
    const entries = (digest?.entries ?? []).filter((e) => keys.includes(e.item.key));
    if (!digest || entries.length === 0) return { kind: 'cancel', reason: 'done' };
    if (entries.length === keys.length) return { kind: 'send' };
    const messages = this.deps.view.render(DEFAULT_LOCALE, { ...digest, entries });
    return { kind: 'replace', delivery: { ...delivery, messages }, items: entries.map((e) => e.item.key) };
  }

  /** The items among `keys` still open on `date`, asked of the sources that made them. */
  async stillOpen(keys: readonly string[], date: IsoDate): Promise<DeadlineItem[]> {
    const bySource = new Map<string, string[]>();
    for (const key of keys) bySource.set(sourceOf(key), [...(bySource.get(sourceOf(key)) ?? []), key]);
    const found = await Promise.all(this.deps.sources.filter((s) => bySource.has(s.name)).map((s) => s.stillOpen(bySource.get(s.name)!, date)));
    return found.flat();
  }

  private async digestsOf(items: readonly DeadlineItem[], today: IsoDate): Promise<Digest[]> {
    const acknowledged = await this.deps.acks.acknowledged();
    return planDigests(items, { today, settings: this.deps.settings, calendar: this.deps.calendar, org: this.deps.org, acknowledged });
  }
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
