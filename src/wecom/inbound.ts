import { z } from 'zod';
import { parseWeComXml } from './xml.js';

/** The outer envelope of a callback POST: only `Encrypt` matters (it is what the signature covers). */
const outerSchema = z.object({ Encrypt: z.string().min(1) }).loose();

export function readEncryptField(body: string): string {
  return outerSchema.parse(parseWeComXml(body)).Encrypt;
}

const str = z.string();
const common = z.object({
  ToUserName: str,
  CreateTime: z.string().regex(/^\d{1,12}$/),
  MsgType: str,
  AgentID: str.optional(),
  FromUserName: str.optional(),
});

const plainMessage = common.extend({ FromUserName: str.min(1), MsgId: z.string().regex(/^\d{1,20}$/) });

/**
 * A decrypted callback, normalised. Every kind carries `dedupeKey` (wecom-channel.md §4).
 *
 * @example { kind: 'text', agentId: '1000002', from: 'zhangsan', createTime: 1700000000, msgId: '1234567890123456', content: '你好', dedupeKey: 'msg:1000002:zhangsan:1234567890123456' }
 */
export type Inbound =
  | { kind: 'text'; agentId: string; from: string; createTime: number; msgId: string; content: string; dedupeKey: string }
  | { kind: 'media'; mediaType: string; agentId: string; from: string; createTime: number; msgId: string; dedupeKey: string }
  | {
      kind: 'card_click';
      agentId: string;
      from: string;
      createTime: number;
      taskId: string;
      eventKey: string;
      responseCode: string;
      dedupeKey: string;
    }
  | { kind: 'kf_event'; createTime: number; openKfId: string; syncToken: string; dedupeKey: string }
  | { kind: 'event'; agentId: string; from: string; createTime: number; event: string; eventKey: string; dedupeKey: string };

/** Parses the decrypted inner XML. Throws (ZodError or XmlError) when required fields are missing. */
export function parseInbound(xml: string): Inbound {
  const raw = parseWeComXml(xml);
  const head = common.parse(raw);
  const createTime = Number(head.CreateTime);
  const agentId = head.AgentID ?? '';
  if (head.MsgType === 'text') {
    const m = plainMessage.extend({ Content: z.string() }).parse(raw);
    return { kind: 'text', agentId, from: m.FromUserName, createTime, msgId: m.MsgId, content: m.Content, dedupeKey: `msg:${agentId}:${m.FromUserName}:${m.MsgId}` };
  }
  if (head.MsgType !== 'event') {
    const m = plainMessage.parse(raw);
    return { kind: 'media', mediaType: head.MsgType, agentId, from: m.FromUserName, createTime, msgId: m.MsgId, dedupeKey: `msg:${agentId}:${m.FromUserName}:${m.MsgId}` };
  }
  const e = common.extend({ Event: str.min(1), EventKey: str.optional() }).parse(raw);
  if (e.Event === 'kf_msg_or_event') {
    const k = common.extend({ Token: str.min(1), OpenKfId: str.min(1) }).parse(raw);
    return { kind: 'kf_event', createTime, openKfId: k.OpenKfId, syncToken: k.Token, dedupeKey: `kf:${k.OpenKfId}:${k.Token}` };
  }
  const from = str.min(1).parse(e.FromUserName);
  if (e.Event === 'template_card_event') {
    const c = common.extend({ EventKey: str.min(1), TaskId: str.min(1), ResponseCode: str.default('') }).parse(raw);
    return {
      kind: 'card_click',
      agentId,
      from,
      createTime,
      taskId: c.TaskId,
      eventKey: c.EventKey,
      responseCode: c.ResponseCode,
      dedupeKey: `card:${agentId}:${from}:${c.TaskId}:${c.EventKey}:${c.ResponseCode}`,
    };
  }
  const eventKey = e.EventKey ?? '';
  return { kind: 'event', agentId, from, createTime, event: e.Event, eventKey, dedupeKey: `event:${agentId}:${from}:${e.Event}:${eventKey}:${createTime}` };
}
