import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { AuditKey } from '../audit/audit-key.js';
import { deriveAuditKey } from './audit-key.js';

/**
 * Personal data at rest: ID numbers, phone numbers, health details in stored cases and conversation state.
 * `seal` encrypts (AES-256-GCM, random IV) so a dump of the database alone reveals nothing;
 * `lookupKey` is a keyed hash (HMAC-SHA-256) to find a case by ID number without decrypting every case.
 * Both keys derive from one master key (DATA_KEY), with different HKDF labels; so does `auditKey`, which
 * keys the audit trail (src/privacy/audit-key.ts).
 */
export interface Vault {
  seal(plain: string): string;
  /**
   * Like `seal`, but the same text always gives the same sealed text (the IV is a keyed hash of the text), so a
   * record written twice is stored twice alike (an audit step appended again after a crash). Equal texts can be
   * told equal, so seal only texts that carry their own context (a case id and version) this way.
   */
  sealDeterministic(plain: string): string;
  /** Throws VaultError when the value was not sealed with this key or was altered. */
  open(sealed: string): string;
  /** A stable keyed hash of `value` for lookups; `kind` separates ID numbers from phone numbers. */
  lookupKey(kind: 'idNumber' | 'phone', value: string): string;
  /** Keys the audit trail's hashes and MACs; derived from the same master key under its own label. */
  readonly auditKey: AuditKey;
}

export class VaultError extends Error {
  readonly code = 'VAULT.UNREADABLE';
}

const FORMAT = 'v1';
export const DATA_KEY_BYTES = 32;

/** Parses DATA_KEY (base64 or base64url of 32 bytes). */
export function parseDataKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  if (key.length !== DATA_KEY_BYTES) throw new VaultError(`DATA_KEY must be ${DATA_KEY_BYTES} bytes, base64-encoded`);
  return key;
}

export function createVault(masterKey: Buffer): Vault {
  if (masterKey.length !== DATA_KEY_BYTES) throw new VaultError(`the data key must be ${DATA_KEY_BYTES} bytes`);
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), label, 32));
  const encKey = derive('fpfp/seal/v1');
  const macKey = derive('fpfp/lookup/v1');
  const ivKey = derive('fpfp/seal-iv/v1');
  const sealWith = (iv: Buffer, plain: string): string => {
    const cipher = createCipheriv('aes-256-gcm', encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  };
  return {
    auditKey: deriveAuditKey(masterKey),
    seal: (plain) => sealWith(randomBytes(12), plain),
    // A synthetic IV: a keyed hash of the whole text, so two different texts never share one.
    sealDeterministic: (plain) => sealWith(createHmac('sha256', ivKey).update(plain, 'utf8').digest().subarray(0, 12), plain),
    open(sealed) {
      const [format, iv, tag, body] = sealed.split('.');
      if (format !== FORMAT || !iv || !tag || body === undefined) throw new VaultError('not a sealed value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new VaultError('sealed value cannot be opened with this key');
      }
    },
    lookupKey(kind, value) {
      return createHmac('sha256', macKey).update(`${kind}\u0000${value}`).digest('base64url');
    },
  };
}
