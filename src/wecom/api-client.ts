import axios, { type AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { StateStore } from '../stores/state-store.js';
import { AccessTokenProvider } from './access-token.js';
import type {
  AppMessage, AppSendResult, CardUpdate, KfMessage, KfOutMessage, KfServiceState, KfSyncResult, WeComApi,
} from './api.js';
import { BUSY_ERRCODE, TOKEN_ERRCODES, WeComNetworkError, redact, weComErrorFor } from './errors.js';
import { DEFAULT_RETRY, backOffOrThrow, realSleep, transportReason, type RetryPolicy, type Sleep } from './http-retry.js';

export interface WeComHttpApiOptions {
  /** 'https://qyapi.weixin.qq.com', or the local fake ('http://127.0.0.1:PORT/simulator/wecom-api'). */
  baseUrl: string;
  corpId: string;
  agentId: number;
  secret: string;
  store: StateStore;
  logger: Logger;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
}

const envelopeSchema = z.looseObject({ errcode: z.number().int(), errmsg: z.string().optional() });
const sendResultSchema = z.looseObject({
  msgid: z.string().optional(),
  response_code: z.string().optional(),
  invaliduser: z.string().optional(),
});
const kfMessageSchema = z.looseObject({
  msgid: z.string(),
  open_kfid: z.string(),
  external_userid: z.string().optional(),
  send_time: z.number(),
  origin: z.number(),
  servicer_userid: z.string().optional(),
  msgtype: z.string(),
  text: z.looseObject({ content: z.string(), menu_id: z.string().optional() }).optional(),
  event: z.looseObject({ event_type: z.string() }).optional(),
});
const syncResultSchema = z.looseObject({
  next_cursor: z.string().default(''),
  has_more: z.number().default(0).transform((n): 0 | 1 => (n ? 1 : 0)),
  msg_list: z.array(kfMessageSchema).default([]),
});
const kfSendResultSchema = z.looseObject({ msgid: z.string() });
const serviceStateSchema = z.looseObject({
  service_state: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  servicer_userid: z.string().optional(),
});
const emptySchema = z.looseObject({});

type Attempt =
  | { kind: 'answer'; errcode: number; errmsg: string; data: unknown }
  /** `ambiguous`: the request may have reached WeCom (timeout, reset, 5xx), so a retry could act twice. */
  | { kind: 'transient'; reason: string; ambiguous: boolean };

/** Failures after which the request surely did not reach WeCom's business logic. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'errcode -1']);

/**
 * WeComApi over HTTP. Every POST goes through `call`: token, zod-checked envelope, one refresh on
 * token errors, bounded backoff on busy/5xx/network failures, immediate errors for rate limits and
 * configuration problems. Logs carry api, errcode and duration only (no URL, token, secret or body).
 */
export class WeComHttpApi implements WeComApi {
  private readonly http: AxiosInstance;
  private readonly tokens: AccessTokenProvider;
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;
  private readonly log: Logger;

  constructor(private readonly opts: WeComHttpApiOptions) {
    this.http = axios.create({
      baseURL: opts.baseUrl.replace(/\/+$/, ''),
      timeout: opts.timeoutMs ?? 4000,
      validateStatus: () => true,
      maxRedirects: 0,
      headers: { 'Content-Type': 'application/json' },
    });
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.sleep = opts.sleep ?? realSleep;
    this.log = opts.logger.child({ component: 'wecom-api', agentId: opts.agentId });
    this.tokens = new AccessTokenProvider({
      http: this.http, corpId: opts.corpId, secret: opts.secret, agentId: opts.agentId,
      store: opts.store, logger: opts.logger, sleep: this.sleep, retry: this.retry,
    });
  }

  async sendAppMessage(message: AppMessage): Promise<AppSendResult> {
    // Without WeCom's duplicate check a retry after a timeout could deliver the message twice.
    const idempotent = message.enable_duplicate_check === 1;
    const res = await this.call('message/send', { ...message, agentid: this.opts.agentId }, sendResultSchema, idempotent);
    return {
      ...(res.msgid && { msgid: res.msgid }),
      ...(res.response_code && { response_code: res.response_code }),
      ...(res.invaliduser && { invaliduser: res.invaliduser }),
    };
  }

  async updateTemplateCard(update: CardUpdate): Promise<void> {
    await this.call('message/update_template_card', { ...update, agentid: this.opts.agentId }, emptySchema);
  }

  async kfSyncMsg(request: { openKfId: string; cursor?: string; token?: string; limit?: number }): Promise<KfSyncResult> {
    const body = {
      ...(request.cursor !== undefined && { cursor: request.cursor }),
      ...(request.token !== undefined && { token: request.token }),
      limit: request.limit ?? 1000,
      voice_format: 0,
      open_kfid: request.openKfId,
    };
    const res = await this.call('kf/sync_msg', body, syncResultSchema);
    const msgList: KfMessage[] = res.msg_list;
    return { next_cursor: res.next_cursor, has_more: res.has_more, msg_list: msgList };
  }

  async kfSendMsg(message: KfOutMessage): Promise<{ msgid: string }> {
    // With our own msgid WeCom refuses a second copy, so ambiguous failures may be retried.
    const res = await this.call('kf/send_msg', message, kfSendResultSchema, message.msgid !== undefined);
    return { msgid: res.msgid };
  }

  async kfGetServiceState(request: { openKfId: string; externalUserId: string }): Promise<{ serviceState: KfServiceState; servicerUserId?: string }> {
    const body = { open_kfid: request.openKfId, external_userid: request.externalUserId };
    const res = await this.call('kf/service_state/get', body, serviceStateSchema);
    return { serviceState: res.service_state, ...(res.servicer_userid && { servicerUserId: res.servicer_userid }) };
  }

  async kfTransServiceState(request: { openKfId: string; externalUserId: string; serviceState: KfServiceState; servicerUserId?: string }): Promise<void> {
    const body = {
      open_kfid: request.openKfId,
      external_userid: request.externalUserId,
      service_state: request.serviceState,
      ...(request.servicerUserId !== undefined && { servicer_userid: request.servicerUserId }),
    };
    await this.call('kf/service_state/trans', body, emptySchema);
  }

  private async call<S extends z.ZodType>(api: string, body: object, schema: S, idempotent = true): Promise<z.output<S>> {
    const started = performance.now();
    let token = await this.tokens.get();
    let refreshed = false;
    let failures = 0;
    for (;;) {
      const attempt = await this.post(api, token, body);
      if (attempt.kind === 'transient') {
        failures++;
        await backOffOrThrow(api, attempt.reason, failures, { retry: this.retry, sleep: this.sleep, log: this.log }, attempt.ambiguous && !idempotent);
        continue;
      }
      const { errcode } = attempt;
      this.log.debug({ api, errcode, durationMs: Math.round(performance.now() - started) }, 'wecom call');
      if (errcode === 0) {
        const parsed = schema.safeParse(attempt.data);
        if (!parsed.success) throw new WeComNetworkError(api, 'unexpected response body', failures + 1);
        return parsed.data;
      }
      if (TOKEN_ERRCODES.has(errcode) && !refreshed) {
        refreshed = true;
        this.log.warn({ api, errcode }, 'access_token rejected; refreshing once');
        await this.tokens.invalidate(token);
        token = await this.tokens.get();
        continue;
      }
      throw weComErrorFor(api, errcode, redact(attempt.errmsg, [token, this.opts.secret]));
    }
  }

  private async post(api: string, token: string, body: object): Promise<Attempt> {
    let status: number;
    let data: unknown;
    try {
      ({ status, data } = await this.http.post(`/cgi-bin/${api}`, body, { params: { access_token: token } }));
    } catch (err) {
      const reason = transportReason(err);
      return { kind: 'transient', reason, ambiguous: !NOT_DELIVERED.has(reason) };
    }
    if (status >= 500 || status === 429) return { kind: 'transient', reason: `HTTP ${status}`, ambiguous: status !== 429 };
    const envelope = envelopeSchema.safeParse(data);
    if (!envelope.success) throw new WeComNetworkError(api, `unexpected response (HTTP ${status})`, 1);
    if (envelope.data.errcode === BUSY_ERRCODE) return { kind: 'transient', reason: 'errcode -1', ambiguous: false };
    return { kind: 'answer', errcode: envelope.data.errcode, errmsg: envelope.data.errmsg ?? '', data };
  }
}
