/**
 * Errors thrown by the WeCom adapter. `api` is always the bare path (`message/send`, `gettoken`),
 * never a URL: URLs carry the access_token (POSTs) or the secret (gettoken). Messages are built only
 * from the api, the errcode and WeCom's errmsg after redaction, so they are safe to log.
 *
 * @example throw weComErrorFor('message/send', 45009, 'api freq out of limit') // WeComRateLimitError, retryAfterMs 60000
 */

/** WeCom answered a non-zero errcode that this adapter does not retry (or stopped retrying). */
export class WeComApiError extends Error {
  override name = 'WeComApiError';
  constructor(
    readonly api: string,
    readonly errcode: number,
    errmsg = '',
  ) {
    super(`WeCom ${api} failed: errcode ${errcode}${errmsg ? ` (${errmsg})` : ''}`);
  }
}

/** 45009 / 45011 (frequency) and 45033 (concurrency): the caller should wait, not loop. */
export class WeComRateLimitError extends WeComApiError {
  override name = 'WeComRateLimitError';
  readonly retryAfterMs: number;
  constructor(api: string, errcode: number, errmsg = '') {
    super(api, errcode, errmsg);
    // Minute-level blocks last 60 s (wecom-channel.md §5, §9); 45033 clears as soon as parallelism drops.
    this.retryAfterMs = errcode === 45033 ? 3_000 : 60_000;
  }
}

/** Bad secret (40001), bad corp id (40013) or caller IP not trusted (60020): retrying cannot help; alert. */
export class WeComConfigError extends WeComApiError {
  override name = 'WeComConfigError';
}

/**
 * Transport failure (connection refused/reset, timeout, HTTP 5xx, unreadable body) that persisted after
 * the retries. `reason` is a short code such as `ECONNRESET` or `HTTP 502`; the underlying axios error is
 * deliberately not attached because its `config` holds the URL with the token or the secret.
 */
export class WeComNetworkError extends Error {
  override name = 'WeComNetworkError';
  constructor(
    readonly api: string,
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(`WeCom ${api} unreachable after ${attempts} attempt(s): ${reason}`);
  }
}

export const RATE_LIMIT_ERRCODES: ReadonlySet<number> = new Set([45009, 45011, 45033]);
export const CONFIG_ERRCODES: ReadonlySet<number> = new Set([40001, 40013, 60020]);
/** The cached token is bad: invalidate it, fetch a fresh one, retry once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001, 41001]);
/** "System busy": the only errcode WeCom advises retrying (≤ 3 times, with backoff). */
export const BUSY_ERRCODE = -1;

export function weComErrorFor(api: string, errcode: number, errmsg = ''): WeComApiError {
  if (RATE_LIMIT_ERRCODES.has(errcode)) return new WeComRateLimitError(api, errcode, errmsg);
  if (CONFIG_ERRCODES.has(errcode)) return new WeComConfigError(api, errcode, errmsg);
  return new WeComApiError(api, errcode, errmsg);
}

/** Replaces every occurrence of the given secrets (token, corp secret) in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('[redacted]');
  }
  return out;
}
