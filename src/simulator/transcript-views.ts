import { z } from 'zod';

/**
 * How the simulator page shows what the bot sent: the WeCom send bodies recorded by the fake,
 * reduced to what a chat bubble needs. Bodies the fake accepted always parse; anything else is skipped.
 */

const text = z.object({ content: z.string() });

const menuItem = z.union([
  z.object({ type: z.literal('click'), click: z.object({ id: z.string(), content: z.string() }) }),
  z.object({ type: z.literal('view'), view: z.object({ url: z.string(), content: z.string() }) }),
  z.object({ type: z.literal('text'), text: z.object({ content: z.string() }) }),
]);

export const buttonCardSchema = z.object({
  source: z.object({ desc: z.string() }).optional(),
  main_title: z.object({ title: z.string(), desc: z.string().optional() }),
  sub_title_text: z.string().optional(),
  horizontal_content_list: z.array(z.object({ keyname: z.string(), value: z.string() })).optional(),
  task_id: z.string(),
  button_list: z.array(z.object({ text: z.string(), key: z.string(), style: z.number().optional() })),
  replace_text: z.string().optional(),
});

/** A 微信客服 menu item as the page renders it. @example { "type": "click", "id": "t1", "content": "青山镇" } */
export type MenuItemView = { type: 'click'; id: string; content: string } | { type: 'view'; url: string; content: string } | { type: 'text'; content: string };

/**
 * A template card as the page renders it; `done` is the grey label once the card was updated.
 * @example { "taskId": "rv_1", "title": "新的申报", "fields": [], "buttons": [{ "text": "受理", "key": "ok:rv_1" }] }
 */
export interface CardView {
  taskId: string;
  source?: string;
  title: string;
  desc?: string;
  subTitle?: string;
  fields: { keyname: string; value: string }[];
  buttons: { text: string; key: string; style?: number }[];
  done?: string;
}

/** What one bot message looks like on the page. */
export type BotView =
  | { kind: 'text'; text: string }
  | { kind: 'textcard'; title: string; description: string; url: string }
  | { kind: 'menu'; head?: string; items: MenuItemView[]; tail?: string }
  | { kind: 'card'; card: CardView };

export function cardView(card: z.infer<typeof buttonCardSchema>): CardView {
  return {
    taskId: card.task_id,
    ...(card.source && { source: card.source.desc }),
    title: card.main_title.title,
    ...(card.main_title.desc && { desc: card.main_title.desc }),
    ...(card.sub_title_text && { subTitle: card.sub_title_text }),
    fields: card.horizontal_content_list ?? [],
    buttons: card.button_list,
    ...(card.replace_text && { done: card.replace_text }),
  };
}

const appBody = z.discriminatedUnion('msgtype', [
  z.object({ msgtype: z.literal('text'), text }),
  z.object({ msgtype: z.literal('markdown'), markdown: text }),
  z.object({ msgtype: z.literal('textcard'), textcard: z.object({ title: z.string(), description: z.string(), url: z.string() }) }),
  z.object({ msgtype: z.literal('template_card'), template_card: buttonCardSchema }),
]);

/** A message/send body as the page shows it. */
export function appMessageView(body: unknown): BotView | undefined {
  const parsed = appBody.safeParse(body);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  switch (m.msgtype) {
    case 'text':
      return { kind: 'text', text: m.text.content };
    case 'markdown':
      return { kind: 'text', text: m.markdown.content };
    case 'textcard':
      return { kind: 'textcard', ...m.textcard };
    case 'template_card':
      return { kind: 'card', card: cardView(m.template_card) };
  }
}

const kfBody = z.discriminatedUnion('msgtype', [
  z.object({ msgtype: z.literal('text'), text }),
  z.object({
    msgtype: z.literal('msgmenu'),
    msgmenu: z.object({ head_content: z.string().optional(), list: z.array(menuItem), tail_content: z.string().optional() }),
  }),
]);

/** A kf/send_msg body as the page shows it. */
export function kfMessageView(body: unknown): BotView | undefined {
  const parsed = kfBody.safeParse(body);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  if (m.msgtype === 'text') return { kind: 'text', text: m.text.content };
  const items: MenuItemView[] = m.msgmenu.list.map((item) => {
    if (item.type === 'click') return { type: 'click', id: item.click.id, content: item.click.content };
    if (item.type === 'view') return { type: 'view', url: item.view.url, content: item.view.content };
    return { type: 'text', content: item.text.content };
  });
  return {
    kind: 'menu',
    ...(m.msgmenu.head_content !== undefined && { head: m.msgmenu.head_content }),
    items,
    ...(m.msgmenu.tail_content !== undefined && { tail: m.msgmenu.tail_content }),
  };
}
