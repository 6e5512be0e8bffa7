import { hkdfSync } from 'node:crypto';
import { AUDIT_KEY_BYTES, AuditKey } from '../audit/audit-key.js';

/** HKDF label of the audit key; the Vault's sealing and lookup keys have their own. */
const AUDIT_KEY_LABEL = 'fpfp/audit/v1';

/**
 * The audit trail's key, derived from the master data key (DATA_KEY, or the local key file in local mode)
 * under its own label: the service and `npm run audit:verify` derive the same one, and knowing it reveals
 * nothing about the keys that seal personal data.
 */
export function deriveAuditKey(masterKey: Buffer): AuditKey {
  return new AuditKey(Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), AUDIT_KEY_LABEL, AUDIT_KEY_BYTES)));
}
