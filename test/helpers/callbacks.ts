import { openEnvelope, seal, type CallbackCrypto } from '../../src/wecom/crypto.js';
import { buildWeComXml, parseWeComXml, type XmlValue } from '../../src/wecom/xml.js';

/** Builds a signed, encrypted callback POST the way WeCom does. */
export function encryptedCallback(cfg: CallbackCrypto, inner: Record<string, XmlValue>, timestampSec: number) {
  const sealed = seal(cfg, buildWeComXml(inner), timestampSec);
  const query = new URLSearchParams({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce });
  const body = `<xml><ToUserName><![CDATA[${cfg.corpId}]]></ToUserName><Encrypt><![CDATA[${sealed.encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
  return { query: query.toString(), body };
}

export function textMessage(from: string, content: string, msgId: string, createTime: number): Record<string, XmlValue> {
  return { ToUserName: 'wx5823bf96d3bd56c7', FromUserName: from, CreateTime: createTime, MsgType: 'text', Content: content, MsgId: msgId, AgentID: 1000002 };
}

export async function postCallback(baseUrl: string, cb: { query: string; body: string }, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/wecom/callback?${cb.query}`, { method: 'POST', headers: { 'content-type': 'text/xml', ...headers }, body: cb.body });
  return { status: res.status, body: await res.text() };
}

/** Opens an encrypted passive reply and returns its plaintext fields. */
export function openReply(cfg: CallbackCrypto, replyXml: string): Record<string, unknown> {
  const outer = parseWeComXml(replyXml);
  const plain = openEnvelope(
    cfg,
    { msg_signature: String(outer.MsgSignature), timestamp: String(outer.TimeStamp), nonce: String(outer.Nonce) },
    String(outer.Encrypt),
  );
  return parseWeComXml(plain);
}
