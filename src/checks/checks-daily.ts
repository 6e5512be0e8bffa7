import type { Logger } from 'pino';
import { shanghaiDate } from '../policy/index.js';
import { outsideQuietHours, shanghaiInstant } from '../reminders/quiet-hours.js';
import type { ReminderSettings } from '../reminders/reminder-settings.js';
import type { Clock } from '../shared/clock.js';
import type { StateStore } from '../stores/state-store.js';

/** What the daily run calls (ChecksRoom). */
export interface ChecksCalendarWork {
  closeDueCampaigns(now: Date): Promise<unknown[]>;
  campaignStart(now: Date): Promise<number>;
  monthlyCheckStart(now: Date): Promise<number>;
  monthlyCheckReport(now: Date): Promise<number>;
}

/** What one day's run did; undefined when it did nothing (too early, quiet hours, or the day already done). */
export interface ChecksDayResult {
  date: string;
  campaignsClosed: number;
  campaignCards: number;
  startCards: number;
  summaries: number;
}

/** The "this day is done" mark outlives the day, so a restart the same day does not run it again. */
const DONE_MARK_MS = 2 * 86_400_000;

/**
 * The checks' part of the daily tick (the reminders' scheduler runs it: a BullMQ job scheduler in Asia/Shanghai
 * time, or the in-process one): campaigns past their end close with their missing list, a running campaign's
 * card and the month's card go to the cadres, and on the report day the summaries go to the townships and the county. It runs once a day,
 * from the digest time and outside quiet hours, and the day is marked done only when all three went through;
 * each of them records its messages under ids fixed by month or campaign and recipient, so a run repeated
 * (a second instance, a restart, a mark lost with Redis) sends nothing twice.
 */
export class ChecksDaily {
  constructor(private readonly deps: { work: ChecksCalendarWork; state: StateStore; clock: Clock; settings: Pick<ReminderSettings, 'digestAt' | 'quietHours'>; logger: Logger }) {}

  async run(): Promise<ChecksDayResult | undefined> {
    const { work, state, clock, settings, logger } = this.deps;
    const now = clock.now();
    const date = shanghaiDate(now);
    if (now < shanghaiInstant(date, settings.digestAt)) return undefined;
    // Late at night (a restart after a day without the service): tomorrow's run catches up.
    if (outsideQuietHours(now, settings.quietHours).getTime() !== now.getTime()) return undefined;
    const mark = `checks:daily:${date}`;
    if ((await state.get(mark)) !== null) return undefined;
    const result: ChecksDayResult = {
      date,
      campaignsClosed: (await work.closeDueCampaigns(now)).length,
      campaignCards: await work.campaignStart(now),
      startCards: await work.monthlyCheckStart(now),
      summaries: await work.monthlyCheckReport(now),
    };
    await state.set(mark, '1', DONE_MARK_MS);
    logger.info(result, 'checks: the day is done');
    return result;
  }
}
