import type { OutboxStore } from '../outbox/outbox-store.js';
import type { DeadlineItem } from './deadline-source.js';
import { digestDateOf, digestId } from './digest-view.js';
import type { ReminderAcks } from './reminder-acks.js';
import type { ReminderService } from './reminder-service.js';

/** What the buttons of a reminder card need (staff-decisions.ts answers the taps). */
export interface ReminderCardActions {
  /** The items of the reminder card `taskId` sent to `userId` that are still open; undefined for a card that is no reminder of theirs. */
  openItems(userId: string, taskId: string): Promise<DeadlineItem[] | undefined>;
  /** 已知晓: acknowledges the card's open items for everyone; returns how many (0: all done already), undefined as above. */
  acknowledge(userId: string, taskId: string, at: Date): Promise<number | undefined>;
}

/** A reminder card's items, from the digest the outbox recorded for that person and day (the card's task_id names the day). */
export class ReminderCards implements ReminderCardActions {
  constructor(private readonly deps: { outboxStore: Pick<OutboxStore, 'get'>; acks: ReminderAcks; reminders: Pick<ReminderService, 'stillOpen'> }) {}

  async openItems(userId: string, taskId: string): Promise<DeadlineItem[] | undefined> {
    const date = digestDateOf(taskId);
    const record = date ? await this.deps.outboxStore.get(digestId(date, userId)) : null;
    if (!date || !record?.items) return undefined;
    return this.deps.reminders.stillOpen(record.items, date);
  }

  async acknowledge(userId: string, taskId: string, at: Date): Promise<number | undefined> {
    const open = await this.openItems(userId, taskId);
    if (!open) return undefined;
    return this.deps.acks.acknowledge(
      open.map((item) => item.key),
      userId,
      at,
    );
  }
}
