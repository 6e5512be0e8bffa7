import { z } from 'zod';
import type { FakeSendEvent, FakeWeComState } from './fake-wecom-state.js';
import { appMessageView, buttonCardSchema, cardView, kfMessageView, type BotView, type CardView } from './transcript-views.js';

/** Who is chatting in the simulator. @example { channel: 'kf', externalUserId: 'wmSimZhangDaye01' } */
export type SimParty = { channel: 'app'; userId: string } | { channel: 'kf'; externalUserId: string };

/**
 * One line of a person's transcript, oldest first; `seq` is global, so entries sort across sources.
 * @example { "seq": 3, "at": "2026-11-22T08:00:00.000Z", "from": "bot", "kind": "text", "text": "您好！" }
 */
export type TranscriptEntry = { seq: number; at: string } & (
  | { from: 'me'; kind: 'text'; text: string; menuId?: string }
  | { from: 'me'; kind: 'click'; text: string; taskId: string }
  | ({ from: 'bot'; msgid?: string } & BotView)
  | { from: 'bot'; kind: 'card_update'; taskId: string; text: string }
  | { from: 'sim'; kind: 'clock'; days: number; date: string }
);

/** Keyed by channel, so a UserID never clashes with an external_userid; UserIDs are case-insensitive in WeCom. */
const keyOf = (p: SimParty): string => (p.channel === 'app' ? `app:${p.userId.toLowerCase()}` : `kf:${p.externalUserId}`);

const MAX_ENTRIES = 500;

const cardUpdateBody = z.object({
  response_code: z.string(),
  userids: z.array(z.string()).optional(),
  button: z.object({ replace_name: z.string() }).optional(),
  template_card: buttonCardSchema.optional(),
});

interface Transcript {
  revision: number;
  entries: TranscriptEntry[];
}

/**
 * Per-person transcripts for the simulator page: what people typed and tapped (recorded by the
 * simulator routes), passive replies, and everything the bot sent through the fake WeCom API
 * (heard live through `onSend`, so the order is the order things happened).
 */
export class Transcripts {
  private readonly byKey = new Map<string, Transcript>();
  /** response_code → the card it updates: send-time codes reach all recipients, click codes the clicker. */
  private readonly codes = new Map<string, { msgid: string; userIds: string[] }>();
  private seq = 0;
  readonly unsubscribe: () => void;

  constructor(fake: FakeWeComState, private readonly now: () => Date = () => new Date()) {
    this.unsubscribe = fake.onSend((event) => this.onSend(event));
  }

  get(party: SimParty): { revision: number; entries: readonly TranscriptEntry[] } {
    return this.byKey.get(keyOf(party)) ?? { revision: 0, entries: [] };
  }

  said(party: SimParty, text: string, menuId?: string): void {
    this.add(party, { from: 'me', kind: 'text', text, ...(menuId !== undefined && { menuId }) });
  }

  passiveReply(party: SimParty, text: string): void {
    this.add(party, { from: 'bot', kind: 'text', text });
  }

  /** The card `taskId` as this member received it (the newest, if several share the id). */
  findCard(userId: string, taskId: string): { msgid: string; card: CardView } | undefined {
    const entries = this.get({ channel: 'app', userId }).entries;
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (e?.from === 'bot' && e.kind === 'card' && e.card.taskId === taskId && e.msgid) return { msgid: e.msgid, card: e.card };
    }
    return undefined;
  }

  /** Time was moved forward `days` to `date` (YYYY-MM-DD): every chat open so far shows where the jump happened. */
  timeMoved(days: number, date: string): void {
    for (const transcript of this.byKey.values()) this.push(transcript, { from: 'sim', kind: 'clock', days, date });
  }

  /** Records a tap; `responseCode` is the click's fresh code, which may later update this member's card. */
  clicked(userId: string, card: { msgid: string; card: CardView }, button: { text: string }, responseCode: string): void {
    this.codes.set(responseCode, { msgid: card.msgid, userIds: [userId] });
    this.add({ channel: 'app', userId }, { from: 'me', kind: 'click', text: button.text, taskId: card.card.taskId });
  }

  private onSend(event: FakeSendEvent): void {
    if (event.kind === 'kf_message') {
      const body = event.body;
      const view = kfMessageView(body);
      if (view && typeof body.touser === 'string') this.add({ channel: 'kf', externalUserId: body.touser }, { from: 'bot', msgid: body.msgid, ...view });
      return;
    }
    if (event.kind === 'app_message') {
      const body = event.body;
      const view = appMessageView(body);
      const userIds = typeof body.touser === 'string' ? body.touser.split('|').filter((u) => u !== '' && u !== '@all') : [];
      if (!view) return;
      // Each recipient gets a copy: a card update may grey one person's card and not another's.
      for (const userId of userIds) this.add({ channel: 'app', userId }, structuredClone({ from: 'bot', msgid: body.msgid, ...view }));
      if (view.kind === 'card' && typeof body.response_code === 'string') this.codes.set(body.response_code, { msgid: body.msgid, userIds });
      return;
    }
    this.onCardUpdate(event.body);
  }

  private onCardUpdate(body: unknown): void {
    const update = cardUpdateBody.safeParse(body);
    if (!update.success) return;
    const target = this.codes.get(update.data.response_code);
    if (!target) return;
    for (const userId of update.data.userids ?? target.userIds) {
      const transcript = this.byKey.get(keyOf({ channel: 'app', userId }));
      const entry = transcript?.entries.find((e) => e.from === 'bot' && e.kind === 'card' && e.msgid === target.msgid);
      if (!transcript || entry?.from !== 'bot' || entry.kind !== 'card') continue;
      if (update.data.template_card) entry.card = cardView(update.data.template_card);
      if (update.data.button) entry.card.done = update.data.button.replace_name;
      const label = entry.card.done ?? '卡片已更新';
      this.add({ channel: 'app', userId }, { from: 'bot', kind: 'card_update', taskId: entry.card.taskId, text: label });
    }
  }

  private add(party: SimParty, entry: DistributiveOmit<TranscriptEntry, 'seq' | 'at'>): void {
    const key = keyOf(party);
    const transcript = this.byKey.get(key) ?? { revision: 0, entries: [] };
    this.push(transcript, entry);
    this.byKey.set(key, transcript);
  }

  private push(transcript: Transcript, entry: DistributiveOmit<TranscriptEntry, 'seq' | 'at'>): void {
    transcript.entries.push({ ...entry, seq: ++this.seq, at: this.now().toISOString() } as TranscriptEntry);
    if (transcript.entries.length > MAX_ENTRIES) transcript.entries.splice(0, transcript.entries.length - MAX_ENTRIES);
    transcript.revision = this.seq;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
