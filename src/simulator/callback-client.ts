import { randomBytes } from 'node:crypto';
import { openEnvelope, seal, type CallbackCrypto } from '../wecom/crypto.js';
import { buildWeComXml, parseWeComXml, type XmlValue } from '../wecom/xml.js';

export class CallbackPostError extends Error {
  readonly code = 'SIMULATOR.CALLBACK_FAILED';
}

export interface CallbackClientOptions {
  crypto: CallbackCrypto;
  agentId: number;
  /** Origin of the service itself (known only once it listens), e.g. `http://127.0.0.1:3000`. */
  serviceUrl: () => string;
  now: () => Date;
}

/**
 * Plays WeCom's part towards the service: builds signed, encrypted callbacks and POSTs them to the
 * service's real `/wecom/callback` over HTTP, exactly as WeCom would.
 */
export class CallbackClient {
  private sequence = 0;

  constructor(private readonly opts: CallbackClientOptions) {}

  /** A member typed text in the app. Returns the passive reply's text, if the service answered passively. */
  async staffText(userId: string, content: string): Promise<{ passiveReply?: string }> {
    const createTime = this.nowSec();
    const body = await this.post({ ...this.head(userId, createTime, 'text'), Content: content, MsgId: this.msgId(), AgentID: this.opts.agentId });
    return body.trim() === '' ? {} : { passiveReply: this.openTextReply(body) };
  }

  /** A member tapped a button of a template card. */
  async cardClick(userId: string, click: { taskId: string; eventKey: string; responseCode: string }): Promise<void> {
    await this.post({
      ...this.head(userId, this.nowSec(), 'event'),
      Event: 'template_card_event',
      EventKey: click.eventKey,
      TaskId: click.taskId,
      CardType: 'button_interaction',
      ResponseCode: click.responseCode,
      AgentID: this.opts.agentId,
    });
  }

  /** The 微信客服 account has news: the event only carries a fresh sync token (wecom-channel.md §8.2). */
  async kfNews(openKfId: string): Promise<void> {
    const createTime = this.nowSec();
    await this.post({
      ToUserName: this.opts.crypto.corpId,
      CreateTime: createTime,
      MsgType: 'event',
      Event: 'kf_msg_or_event',
      Token: `ENCsim${randomBytes(12).toString('hex')}`,
      OpenKfId: openKfId,
    });
  }

  private head(userId: string, createTime: number, msgType: string): Record<string, XmlValue> {
    return { ToUserName: this.opts.crypto.corpId, FromUserName: userId, CreateTime: createTime, MsgType: msgType };
  }

  private async post(inner: Record<string, XmlValue>): Promise<string> {
    const { crypto, agentId } = this.opts;
    const sealed = seal(crypto, buildWeComXml(inner), this.nowSec());
    const query = new URLSearchParams({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce });
    const outer = buildWeComXml({ ToUserName: crypto.corpId, Encrypt: sealed.encrypt, AgentID: String(agentId) });
    let res: Response;
    try {
      res = await fetch(`${this.opts.serviceUrl()}/wecom/callback?${query.toString()}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: outer,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new CallbackPostError(`callback POST failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    if (res.status !== 200) throw new CallbackPostError(`callback answered HTTP ${res.status}`);
    return text;
  }

  private openTextReply(replyXml: string): string {
    const outer = parseWeComXml(replyXml);
    const plain = openEnvelope(
      this.opts.crypto,
      { msg_signature: String(outer.MsgSignature), timestamp: String(outer.TimeStamp), nonce: String(outer.Nonce) },
      String(outer.Encrypt),
    );
    return String(parseWeComXml(plain).Content ?? '');
  }

  private nowSec(): number {
    return Math.floor(this.opts.now().getTime() / 1000);
  }

  /** A 64-bit-style numeric MsgId, unique within this process (the service dedupes on it). */
  private msgId(): string {
    this.sequence = (this.sequence + 1) % 1000;
    return `${this.opts.now().getTime()}${String(this.sequence).padStart(3, '0')}`;
  }
}
