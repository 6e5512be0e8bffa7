import { randomBytes } from 'node:crypto';
import type { KfMessage, KfServiceState } from '../wecom/api.js';

export interface FakeWeComConfig {
  corpId: string;
  secret: string;
  /** `expires_in` of issued tokens. */
  tokenTtlSeconds: number;
}

export const DEFAULT_FAKE_CONFIG: FakeWeComConfig = { corpId: 'ww-fake-corp', secret: 'fake-secret', tokenTtlSeconds: 7200 };

type Body = Record<string, unknown>;

/** What the bot sent, as told to `onSend` listeners (e.g. the simulator page). */
export type FakeSendEvent =
  | { kind: 'app_message'; body: Body & { msgid: string } }
  | { kind: 'card_update'; body: Body }
  | { kind: 'kf_message'; body: Body & { msgid: string } };

type Fault = { kind: 'errcode'; errcode: number } | { kind: 'drop' } | { kind: 'delay'; ms: number } | { kind: 'http'; status: number };

/**
 * Everything the fake WeCom server knows, observable and controllable by tests and the simulator.
 * `api` names are the paths after /cgi-bin/ ('message/send', 'kf/sync_msg', …) plus 'gettoken'.
 */
export class FakeWeComState {
  readonly config: FakeWeComConfig;
  gettokenCalls = 0;
  /** Every POST /cgi-bin call received (including failed and dropped ones), in order. */
  readonly calls: { api: string; body: unknown; at: number }[] = [];
  /** Successful message/send bodies with the assigned msgid (and response_code for template cards). */
  readonly appMessages: (Body & { msgid: string; response_code?: string })[] = [];
  readonly cardUpdates: Body[] = [];
  /** Successful kf/send_msg bodies; `msgid` is the caller's or one assigned by the fake. */
  readonly kfSent: (Body & { msgid: string })[] = [];
  readonly syncRequests: { cursor?: string; token?: string; open_kfid: string }[] = [];
  /** Every access_token issued, so tests can assert they never leak into logs. */
  readonly issuedTokens: string[] = [];
  now: () => number = Date.now;

  private readonly tokens = new Map<string, { expiresAt: number }>();
  private readonly inboxes = new Map<string, KfMessage[]>();
  private readonly sessions = new Map<string, { state: KfServiceState; servicer?: string }>();
  private readonly usedKfMsgIds = new Set<string>();
  private readonly taskIds = new Set<string>();
  private readonly usedResponseCodes = new Set<string>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly listeners = new Set<(event: FakeSendEvent) => void>();
  private sequence = 0;

  constructor(config: Partial<FakeWeComConfig> = {}) {
    this.config = { ...DEFAULT_FAKE_CONFIG, ...config };
  }

  // ---- fault injection -------------------------------------------------------------------------
  failNext(api: string, errcode: number, times = 1): void {
    this.addFault(api, { kind: 'errcode', errcode }, times);
  }
  /** The next `times` requests to `api` get their socket destroyed (the client sees ECONNRESET). */
  dropConnectionsNext(api: string, times = 1): void {
    this.addFault(api, { kind: 'drop' }, times);
  }
  /** The next `times` requests to `api` get this HTTP status (a 5xx from a proxy in front of WeCom). */
  failHttpNext(api: string, status: number, times = 1): void {
    this.addFault(api, { kind: 'http', status }, times);
  }
  delayNext(api: string, ms: number, times = 1): void {
    this.addFault(api, { kind: 'delay', ms }, times);
  }
  /** Tokens issued so far answer 42001 from now on. */
  expireAllTokens(): void {
    for (const entry of this.tokens.values()) entry.expiresAt = 0;
  }
  /** Removes and returns the next fault queued for `api`, if any. */
  takeFault(api: string): Fault | undefined {
    return this.faults.get(api)?.shift();
  }

  // ---- tokens ----------------------------------------------------------------------------------
  issueToken(): { token: string; expiresIn: number } {
    const token = randomBytes(48).toString('base64url');
    this.tokens.set(token, { expiresAt: this.now() + this.config.tokenTtlSeconds * 1000 });
    this.issuedTokens.push(token);
    return { token, expiresIn: this.config.tokenTtlSeconds };
  }
  /** 0 when valid, else the WeCom errcode: 41001 missing, 40014 unknown, 42001 expired. */
  checkToken(token: string | undefined): number {
    if (!token) return 41001;
    const entry = this.tokens.get(token);
    if (!entry) return 40014;
    return entry.expiresAt <= this.now() ? 42001 : 0;
  }

  // ---- 微信客服 ---------------------------------------------------------------------------------
  /** Queues a message for `kf/sync_msg` (a customer text, an event, or origin-5 servicer traffic). */
  pushKfMessage(msg: KfMessage): void {
    const inbox = this.inboxes.get(msg.open_kfid) ?? [];
    inbox.push(msg);
    this.inboxes.set(msg.open_kfid, inbox);
    // A customer writing into an ended session starts a new one (state 0).
    if (msg.origin === 3 && msg.external_userid && this.serviceState(msg.open_kfid, msg.external_userid).state === 4) {
      this.setServiceState(msg.open_kfid, msg.external_userid, 0);
    }
  }
  inbox(openKfId: string): readonly KfMessage[] {
    return this.inboxes.get(openKfId) ?? [];
  }
  serviceState(openKfId: string, externalUserId: string): { state: KfServiceState; servicer?: string } {
    return this.sessions.get(`${openKfId}|${externalUserId}`) ?? { state: 0 };
  }
  setServiceState(openKfId: string, externalUserId: string, state: KfServiceState, servicer?: string): void {
    this.sessions.set(`${openKfId}|${externalUserId}`, { state, ...(servicer !== undefined && { servicer }) });
  }
  /** False when `msgid` was already used on this kf account; records it otherwise. */
  claimKfMsgId(openKfId: string, msgid: string): boolean {
    const key = `${openKfId}|${msgid}`;
    if (this.usedKfMsgIds.has(key)) return false;
    this.usedKfMsgIds.add(key);
    return true;
  }

  // ---- template cards --------------------------------------------------------------------------
  /** False when the card task_id was already used (WeCom answers 42014). */
  claimTaskId(taskId: string): boolean {
    if (this.taskIds.has(taskId)) return false;
    this.taskIds.add(taskId);
    return true;
  }
  /** A fresh single-use code, as WeCom puts in send responses and click events. */
  issueResponseCode(): string {
    return `rc_${randomBytes(12).toString('hex')}`;
  }
  /** Response codes are single use; unknown codes are accepted (the simulator page may invent them). */
  claimResponseCode(code: string): boolean {
    if (this.usedResponseCodes.has(code)) return false;
    this.usedResponseCodes.add(code);
    return true;
  }

  nextId(prefix: string): string {
    this.sequence++;
    return `${prefix}${this.sequence.toString(36).padStart(6, '0')}${randomBytes(3).toString('hex')}`;
  }

  // ---- listeners -------------------------------------------------------------------------------
  /** Called after each successful send/update. Returns an unsubscribe function. */
  onSend(listener: (event: FakeSendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: FakeSendEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a broken listener (e.g. a closed page) must not fail the bot's send
      }
    }
  }

  private readonly delivered = new Map<string, number>();

  /**
   * WeCom's duplicate check (message/send `enable_duplicate_check`): true when an identical message to the
   * same members was delivered within `intervalSeconds`; records this one otherwise.
   */
  isDuplicate(body: Record<string, unknown>, intervalSeconds: number): boolean {
    const { agentid: _a, enable_duplicate_check: _e, duplicate_check_interval: _d, ...content } = body;
    const key = JSON.stringify(content);
    const last = this.delivered.get(key);
    if (last !== undefined && this.now() - last < intervalSeconds * 1000) return true;
    this.delivered.set(key, this.now());
    return false;
  }

  /** Remembers a delivered message for later duplicate checks. */
  noteDelivered(body: Record<string, unknown>): void {
    const { agentid: _a, enable_duplicate_check: _e, duplicate_check_interval: _d, ...content } = body;
    this.delivered.set(JSON.stringify(content), this.now());
  }

  private addFault(api: string, fault: Fault, times: number): void {
    const queue = this.faults.get(api) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(api, queue);
  }
}
