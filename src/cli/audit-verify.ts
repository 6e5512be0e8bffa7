import { auditCheckExitCode, checkCaseAudit, checkPhoneDisclosures, describeAuditCheck, describeDisclosureCheck } from '../cases/audit-check.js';
import { ConfigError, loadConfig } from '../config.js';
import { readLocalDataKey } from '../privacy/local-data-key.js';
import { createVault, parseDataKey } from '../privacy/vault.js';
import { createDocumentStore } from '../stores/index.js';

/**
 * `npm run audit:verify -- <caseNumber>`: checks one case's audit chain in the configured document store
 * (MONGODB_URL, else DATA_DIR), under the audit key the service derives from the same data key (DATA_KEY,
 * else the local key file in DATA_DIR); the Vault of that key opens the case's encrypted income and texts to
 * compare its state with the trail. Prints OK or where the chain breaks. Exit code 0 = intact, 1 = broken,
 * 2 = no such case, no data key, or bad usage. The case's phone disclosures (查看电话) are checked too.
 */
async function main(): Promise<number> {
  const caseNumber = process.argv[2];
  if (!caseNumber || process.argv.length > 3) {
    console.error('usage: npm run audit:verify -- <caseNumber>   (e.g. 20261122-0001)');
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 2;
  }
  // As server.ts does, except that a missing local key file is not made here: this tool only reads.
  const dataKey = config.dataKey ? parseDataKey(config.dataKey) : readLocalDataKey(config.dataDir);
  if (!dataKey) {
    console.error(`no data key: set DATA_KEY, or DATA_DIR to the directory holding the service's data.key (now ${config.dataDir})`);
    return 2;
  }
  const vault = createVault(dataKey);
  const docs = await createDocumentStore({ mongodbUrl: config.mongodbUrl, dataDir: config.dataDir });
  try {
    const result = await checkCaseAudit(docs.store, vault, caseNumber);
    process.stdout.write(`${describeAuditCheck(result)}\n`);
    // Who was shown the household's full phone: a chain of its own, printed when there is one.
    const phones = await checkPhoneDisclosures(docs.store, vault, caseNumber);
    if (phones && (phones.records > 0 || !phones.ok)) process.stdout.write(`${describeDisclosureCheck(caseNumber, phones)}\n`);
    return Math.max(auditCheckExitCode(result), phones && !phones.ok ? 1 : 0);
  } finally {
    // Closing the embedded store compacts its files, which would overwrite what a running service wrote since.
    if (docs.kind === 'mongodb') await docs.store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('audit check failed:', err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
