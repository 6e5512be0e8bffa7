import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditKey } from '../../src/audit/audit-key.js';
import { deriveAuditKey } from '../../src/privacy/audit-key.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { TEST_DATA_KEY } from '../helpers/test-app.js';

describe('the audit key', () => {
  const master = parseDataKey(TEST_DATA_KEY);

  it('is derived from the data key under its own label: the service (Vault) and audit:verify get the same one', () => {
    const fromVault = createVault(master).auditKey;
    expect(fromVault.mac('state', '{}')).toBe(deriveAuditKey(master).mac('state', '{}'));
    expect(deriveAuditKey(Buffer.alloc(32, 1)).mac('state', '{}')).not.toBe(fromVault.mac('state', '{}'));
  });

  it('is not the data key itself, so a MAC under it tells nothing about the keys that seal personal data', () => {
    const underMaster = createHmac('sha256', master).update('state\u0000').update('{}').update('\u0000').digest('hex');
    expect(deriveAuditKey(master).mac('state', '{}')).not.toBe(underMaster);
    expect(new AuditKey(master).mac('state', '{}')).toBe(underMaster);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new AuditKey(Buffer.alloc(16))).toThrow('32 bytes');
  });
});
