import { z } from 'zod';

/**
 * Errcodes the fake answers. 40058/40008/41011/42014/41001/40014/42001/40001/40013/95014 are real WeCom
 * codes. The two kf codes below are CHOSEN BY THE FAKE: the real codes for a reused kf msgid and for a
 * send outside states 0/1 are not confirmed (wecom-channel.md §8). Do not hard-code them in the service
 * as if they were WeCom's.
 */
export const FAKE_ERRCODES = {
  invalidParameter: 40058,
  invalidMsgtype: 40008,
  missingAgentid: 41011,
  taskIdReused: 42014,
  dataFormatError: 47001,
  servicerNotAvailable: 95014,
  /** fake-chosen, UNCONFIRMED */
  kfMsgIdReused: 95017,
  /** fake-chosen, UNCONFIRMED */
  kfSessionStateNotAllowed: 95018,
} as const;

const nonEmpty = z.string().min(1);
const content = z.object({ content: nonEmpty });
const buttonCard = z.object({
  card_type: z.literal('button_interaction'),
  main_title: z.object({ title: nonEmpty }),
  task_id: z.string().regex(/^[0-9A-Za-z_\-@]{1,128}$/, 'task_id must be 1-128 chars of [0-9A-Za-z_-@]'),
  button_list: z.array(z.object({ text: nonEmpty, key: z.string().min(1).max(1024) })).min(1).max(6),
});

const appRecipients = z
  .looseObject({ touser: z.string().optional(), toparty: z.string().optional(), totag: z.string().optional(), agentid: z.number().int() })
  .refine((b) => Boolean(b.touser || b.toparty || b.totag), 'one of touser, toparty, totag is required');

export const APP_MSGTYPES = ['text', 'markdown', 'textcard', 'template_card'] as const;

/** The type-named part of a message/send body, by msgtype. */
export const appMessagePayloads = {
  text: z.object({ text: content }),
  markdown: z.object({ markdown: content }),
  textcard: z.object({ textcard: z.object({ title: nonEmpty, description: nonEmpty, url: z.url() }) }),
  template_card: z.object({ template_card: buttonCard }),
} as const;

export const appEnvelopeSchema = appRecipients;

export const cardUpdateSchema = z
  .looseObject({
    agentid: z.number().int(),
    response_code: nonEmpty,
    button: z.object({ replace_name: nonEmpty }).optional(),
    template_card: buttonCard.optional(),
  })
  .refine((b) => Boolean(b.button) !== Boolean(b.template_card), 'exactly one of button, template_card is required');

export const syncMsgSchema = z.looseObject({
  open_kfid: nonEmpty,
  cursor: z.string().max(64).optional(),
  token: z.string().max(128).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  voice_format: z.union([z.literal(0), z.literal(1)]).optional(),
});

const menuItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('click'), click: z.object({ id: z.string().min(1).max(64), content: z.string().min(1).max(128) }) }),
  z.object({ type: z.literal('view'), view: z.object({ url: z.url(), content: nonEmpty }) }),
  z.object({ type: z.literal('text'), text: z.object({ content: nonEmpty }) }),
]);

export const kfSendSchema = z.discriminatedUnion('msgtype', [
  z.looseObject({ msgtype: z.literal('text'), text: content }),
  z.looseObject({ msgtype: z.literal('msgmenu'), msgmenu: z.object({ list: z.array(menuItem).min(1).max(10) }) }),
]).and(z.looseObject({
  touser: nonEmpty,
  open_kfid: nonEmpty,
  msgid: z.string().regex(/^[0-9a-zA-Z_-]{1,32}$/, 'msgid must be 1-32 chars of [0-9a-zA-Z_-]').optional(),
}));

const serviceStateValue = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

export const serviceStateGetSchema = z.looseObject({ open_kfid: nonEmpty, external_userid: nonEmpty });
export const serviceStateTransSchema = serviceStateGetSchema.extend({
  service_state: serviceStateValue,
  servicer_userid: z.string().optional(),
});

/** A short errmsg naming the first failing field, e.g. `invalid parameter: text.content`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid parameter';
  const path = issue.path.join('.');
  return `invalid parameter${path ? `: ${path}` : ''} (${issue.message})`;
}
