import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** What a MAC under the audit key is for; each use has its own domain, so one is never valid as another. */
export type AuditMacDomain = 'record' | 'state' | 'head' | 'pending';

export const AUDIT_KEY_BYTES = 32;

/**
 * The secret the audit trail is keyed with: each record's chain hash, the MAC of the case state a step
 * produced and the seal of a case's head are HMAC-SHA-256 under it. Someone who can write the database
 * but does not hold the key can neither recompute a hash after an edit nor forge a state or a head.
 * Derived from DATA_KEY under its own HKDF label (src/privacy/audit-key.ts), never the data key itself.
 * @example key.mac('state', '{"id":"c-1","stage":"lead","version":1}') // '5e0c…' (64 hex digits)
 */
export class AuditKey {
  readonly #key: KeyObject;

  constructor(bytes: Buffer) {
    if (bytes.length !== AUDIT_KEY_BYTES) throw new RangeError(`the audit key must be ${AUDIT_KEY_BYTES} bytes`);
    this.#key = createSecretKey(Buffer.from(bytes));
  }

  /** HMAC-SHA-256 (hex) of the domain and the parts, each ended by a NUL (JSON and hex never hold one). */
  mac(domain: AuditMacDomain, ...parts: string[]): string {
    const hmac = createHmac('sha256', this.#key).update(`${domain}\u0000`);
    for (const part of parts) hmac.update(part).update('\u0000');
    return hmac.digest('hex');
  }

  /** Never serialised, should one end up in a log line. */
  toJSON(): string {
    return '[audit key]';
  }
}
