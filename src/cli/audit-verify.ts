import { auditCheckExitCode, checkCaseAudit, describeAuditCheck } from '../cases/audit-check.js';
import { ConfigError, loadConfig } from '../config.js';
import { createDocumentStore } from '../stores/index.js';

/**
 * `npm run audit:verify -- <caseNumber>`: checks one case's audit chain in the configured document store
 * (MONGODB_URL, else DATA_DIR). Prints OK or where the chain breaks. Exit code 0 = intact,
 * 1 = broken, 2 = no such case or bad usage.
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
  const docs = await createDocumentStore({ mongodbUrl: config.mongodbUrl, dataDir: config.dataDir });
  try {
    const result = await checkCaseAudit(docs.store, caseNumber);
    process.stdout.write(`${describeAuditCheck(result)}\n`);
    return auditCheckExitCode(result);
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
