import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { StateStore } from '../stores/state-store.js';
import { BUSY_ERRCODE, WeComNetworkError, redact, weComErrorFor } from './errors.js';
import { DEFAULT_RETRY, backOffOrThrow, realSleep, transportReason, type RetryPolicy, type Sleep } from './http-retry.js';

export interface AccessTokenProviderOptions {
  http: AxiosInstance;
  corpId: string;
  secret: string;
  agentId: number | string;
  store: StateStore;
  logger: Logger;
  now?: () => number;
  /** Backoff sleep for gettoken retries (tests pass an instant one). Lock polling always uses real timers. */
  sleep?: Sleep;
  retry?: RetryPolicy;
}

/** Tokens are refreshed this long before WeCom's expiry (wecom-channel.md §5). */
const EXPIRY_MARGIN_S = 300;
const LOCK_TTL_MS = 10_000;
const LOCK_POLL_MIN_MS = 50;
const LOCK_POLL_MAX_MS = 100;
const LOCK_WAIT_MS = 10_000;

const cachedSchema = z.object({ token: z.string().min(1), expiresAt: z.number() });
const gettokenSchema = z.looseObject({
  errcode: z.number().int(),
  errmsg: z.string().optional(),
  access_token: z.string().optional(),
  expires_in: z.number().optional(),
});

interface Cached {
  raw: string;
  token: string;
  expiresAt: number;
}

/**
 * access_token cache shared through the StateStore (Redis in production): one in-flight refresh per
 * process, a store lock across processes, double-checked after taking the lock, and compare-and-delete
 * invalidation so a late caller never deletes a fresher token written by someone else.
 */
export class AccessTokenProvider {
  private readonly opts: AccessTokenProviderOptions;
  private readonly cacheKey: string;
  private readonly lockKey: string;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly retry: RetryPolicy;
  private readonly log: Logger;
  private inflight: Promise<string> | undefined;

  constructor(opts: AccessTokenProviderOptions) {
    this.opts = opts;
    this.cacheKey = `wecom:token:${opts.corpId}:${opts.agentId}`;
    this.lockKey = `wecom:token-lock:${opts.corpId}:${opts.agentId}`;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.log = opts.logger.child({ component: 'wecom-token', agentId: opts.agentId });
  }

  async get(): Promise<string> {
    const cached = await this.readCache();
    if (cached) return cached.token;
    if (!this.inflight) {
      this.inflight = this.refreshUnderLock().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /** Drops the cached token only if it is still `failedToken`. */
  async invalidate(failedToken: string): Promise<void> {
    const cached = await this.readCache(true);
    if (cached?.token !== failedToken) return;
    const deleted = await this.opts.store.deleteIfEquals(this.cacheKey, cached.raw);
    if (deleted) this.log.info('access_token invalidated');
  }

  private async readCache(includeExpired = false): Promise<Cached | undefined> {
    const raw = await this.opts.store.get(this.cacheKey);
    if (raw === null) return undefined;
    let parsed: z.infer<typeof cachedSchema>;
    try {
      parsed = cachedSchema.parse(JSON.parse(raw));
    } catch {
      return undefined; // an unreadable entry is treated as a miss and overwritten by the next refresh
    }
    if (!includeExpired && parsed.expiresAt <= this.now()) return undefined;
    return { raw, ...parsed };
  }

  private async refreshUnderLock(): Promise<string> {
    const owner = randomUUID();
    const polls = Math.ceil(LOCK_WAIT_MS / LOCK_POLL_MIN_MS);
    for (let i = 0; i <= polls; i++) {
      if (await this.opts.store.setIfAbsent(this.lockKey, owner, LOCK_TTL_MS)) {
        try {
          const cached = await this.readCache();
          if (cached) return cached.token;
          return await this.fetchAndStore();
        } finally {
          await this.opts.store.deleteIfEquals(this.lockKey, owner).catch(() => {
            this.log.warn('could not release the token lock; it expires on its own');
          });
        }
      }
      // Another process is refreshing: wait and re-read. Real timers on purpose, so an instant test
      // sleep cannot starve the event loop while the holder's HTTP call is pending.
      const pollMs = LOCK_POLL_MIN_MS + Math.floor(Math.random() * (LOCK_POLL_MAX_MS - LOCK_POLL_MIN_MS));
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      const cached = await this.readCache();
      if (cached) return cached.token;
    }
    throw new WeComNetworkError('gettoken', 'timed out waiting for the token lock', 0);
  }

  private async fetchAndStore(): Promise<string> {
    let failures = 0;
    for (;;) {
      const outcome = await this.requestToken(failures + 1);
      if ('token' in outcome) return outcome.token;
      failures++;
      await backOffOrThrow('gettoken', outcome.reason, failures, { retry: this.retry, sleep: this.sleep, log: this.log });
    }
  }

  /** One gettoken round trip: a token, a retryable reason, or a thrown non-retryable error. */
  private async requestToken(attempt: number): Promise<{ token: string } | { reason: string }> {
    const { http, corpId, secret, store } = this.opts;
    const started = this.now();
    let status: number;
    let data: unknown;
    try {
      ({ status, data } = await http.get('/cgi-bin/gettoken', { params: { corpid: corpId, corpsecret: secret } }));
    } catch (err) {
      return { reason: transportReason(err) };
    }
    if (status >= 500 || status === 429) return { reason: `HTTP ${status}` };
    const parsed = gettokenSchema.safeParse(data);
    if (!parsed.success) throw new WeComNetworkError('gettoken', `unexpected response (HTTP ${status})`, attempt);
    const { errcode, errmsg = '', access_token: token, expires_in: expiresIn } = parsed.data;
    this.log.debug({ api: 'gettoken', errcode, durationMs: this.now() - started }, 'wecom call');
    if (errcode === BUSY_ERRCODE) return { reason: 'errcode -1' };
    if (errcode !== 0) {
      const err = weComErrorFor('gettoken', errcode, redact(errmsg, [secret]));
      this.log.error({ api: 'gettoken', errcode, error: err.name }, 'gettoken refused');
      throw err;
    }
    if (!token || !expiresIn) throw new WeComNetworkError('gettoken', 'response without access_token', attempt);
    // Short-lived tokens (the fake can issue them) keep half their life instead of going negative.
    const lifetimeS = expiresIn > 2 * EXPIRY_MARGIN_S ? expiresIn - EXPIRY_MARGIN_S : Math.max(1, Math.floor(expiresIn / 2));
    await store.set(this.cacheKey, JSON.stringify({ token, expiresAt: this.now() + lifetimeS * 1000 }), lifetimeS * 1000);
    this.log.info({ expiresIn }, 'access_token refreshed');
    return { token };
  }
}
