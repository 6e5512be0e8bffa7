import type { ButtonCard, KfMessage } from '../../src/wecom/api.js';
import { encryptedCallback, openReply, postCallback, textMessage } from './callbacks.js';
import type { TestService } from './test-app.js';
import { VECTOR_CRYPTO } from './vectors.js';

/**
 * People talking to the real service over its HTTP callback: households through 微信客服 (pushed into the
 * fake's kf inbox, then a kf callback), staff through the app (encrypted text and card-click callbacks).
 * Each call waits for the background work it started, so what it returns is everything that was sent.
 */
export const OPEN_KFID = 'wkFpfpHelpDesk01';

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${(++sequence).toString().padStart(6, '0')}`;
const nowSec = (svc: TestService) => Math.floor(svc.clock.now().getTime() / 1000);

/** What a staff member got back: every text (passive or active) and every card, with its send response_code. */
export interface StaffReply {
  texts: string[];
  cards: (ButtonCard & { response_code: string })[];
}

/** A household sends a text on 微信客服; returns the texts the bot sent back to it. */
export async function householdSays(svc: TestService, externalUserId: string, content: string): Promise<string[]> {
  const before = svc.fake.kfSent.length;
  const message: KfMessage = { msgid: nextId('cust'), open_kfid: OPEN_KFID, external_userid: externalUserId, send_time: nowSec(svc), origin: 3, msgtype: 'text', text: { content } };
  svc.fake.pushKfMessage(message);
  const ts = nowSec(svc);
  const cb = encryptedCallback(VECTOR_CRYPTO, { ToUserName: VECTOR_CRYPTO.corpId, CreateTime: ts, MsgType: 'event', Event: 'kf_msg_or_event', Token: nextId('ENCtoken'), OpenKfId: OPEN_KFID }, ts);
  await postCallback(svc.baseUrl, cb);
  await svc.built.settled();
  return kfTextsTo(svc, externalUserId, before);
}

/** The texts the bot sent to a household on 微信客服 (menus as their head text), from the `from`-th kf send on. */
export function kfTextsTo(svc: TestService, externalUserId: string, from = 0): string[] {
  return svc.fake.kfSent
    .slice(from)
    .filter((m) => m.touser === externalUserId)
    .map((m) => (m.text as { content: string } | undefined)?.content ?? (m.msgmenu as { head_content: string } | undefined)?.head_content ?? '');
}

/** A staff member sends a text in the app. */
export async function staffSays(svc: TestService, userId: string, content: string): Promise<StaffReply> {
  const before = svc.fake.appMessages.length;
  const ts = nowSec(svc);
  const res = await postCallback(svc.baseUrl, encryptedCallback(VECTOR_CRYPTO, textMessage(userId, content, nextId('7'), ts), ts));
  await svc.built.settled();
  const reply = collect(svc, userId, before);
  if (res.body) reply.texts.unshift(String(openReply(VECTOR_CRYPTO, res.body).Content));
  return reply;
}

/** A staff member taps a card button; the click carries a fresh single-use response code, as WeCom's does. */
export async function staffClicks(svc: TestService, userId: string, card: Pick<ButtonCard, 'task_id'>, key: string): Promise<StaffReply & { responseCode: string }> {
  const { callback, responseCode } = clickCallback(svc, userId, card, key);
  const before = svc.fake.appMessages.length;
  await postCallback(svc.baseUrl, callback);
  await svc.built.settled();
  return { ...collect(svc, userId, before), responseCode };
}

/** The encrypted template_card_event callback of a tap, for tests that post several at once. */
export function clickCallback(svc: TestService, userId: string, card: Pick<ButtonCard, 'task_id'>, key: string) {
  const ts = nowSec(svc);
  const responseCode = svc.fake.issueResponseCode();
  const click = {
    ToUserName: VECTOR_CRYPTO.corpId, FromUserName: userId, CreateTime: ts, MsgType: 'event', Event: 'template_card_event',
    EventKey: key, TaskId: card.task_id, CardType: 'button_interaction', ResponseCode: responseCode, AgentID: 1000002,
  };
  return { callback: encryptedCallback(VECTOR_CRYPTO, click, ts), responseCode };
}

function collect(svc: TestService, userId: string, from: number): StaffReply {
  const sent = svc.fake.appMessages.slice(from).filter((m) => m.touser === userId);
  return {
    texts: sent.filter((m) => m.msgtype === 'text').map((m) => (m.text as { content: string }).content),
    cards: sent.filter((m) => m.msgtype === 'template_card').map((m) => ({ ...(m.template_card as ButtonCard), response_code: m.response_code! })),
  };
}
