import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.js';
import { CaseAudit } from '../../src/cases/case-audit.js';
import { CaseMessages } from '../../src/cases/case-messages.js';
import { sequentialCaseNumbers } from '../../src/cases/case-number.js';
import { CaseRepository } from '../../src/cases/case-repository.js';
import { CaseService } from '../../src/cases/case-service.js';
import { DeclarationService, type DeclarationAnswers } from '../../src/cases/declaration-service.js';
import type { Address, Outbound } from '../../src/channel/messages.js';
import { createTexts } from '../../src/i18n/i18n.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import type { Org } from '../../src/org/org.js';
import { loadProfiles, loadWorkCalendar, type PolicyProfile } from '../../src/policy/index.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import type { DocumentStore } from '../../src/stores/document-store.js';
import { captureLogs, TEST_DATA_KEY } from './test-app.js';

export const profiles = loadProfiles();
export const calendar = loadWorkCalendar();
export const vault = createVault(parseDataKey(TEST_DATA_KEY));

/** 桃源村一组, 青山镇: a household of three with an illness, as the declaration flow hands it over. */
export function answers(overrides: Partial<DeclarationAnswers> = {}): DeclarationAnswers {
  return {
    householdHead: '张德福',
    idNumber: '430621195805121238',
    phone: '13812345678',
    township: '430621101',
    village: '430621101201',
    group: '430621101201-01',
    householdSize: 3,
    riskTypes: ['illness'],
    basicGuarantees: ['none'],
    description: '老伴尿毒症每周透析。',
    commitment: true,
    authorization: true,
    ...overrides,
  };
}

export const HOUSEHOLD: Extract<Address, { channel: 'kf' }> = { channel: 'kf', openKfId: 'wkDemoKfAccount', externalUserId: 'wmHousehold01' };

/** The case services of the app, over a given document store (a test service's, or a fresh one). */
export interface Cases {
  org: Org;
  repo: CaseRepository;
  audit: AuditLog;
  caseAudit: CaseAudit;
  declarations: DeclarationService;
  cases: CaseService;
  /** What the case service sent to households. */
  notices: { to: Address; messages: Outbound[] }[];
  logs: string[];
}

export interface CaseWorld extends Cases {
  dataDir: string;
  docs: EmbeddedDocumentStore;
  close(): Promise<void>;
}

export async function casesOn(docs: DocumentStore, org: Org = loadOrgFile(DEMO_ORG_FILE), options: { decideUnder?: readonly PolicyProfile[] } = {}): Promise<Cases> {
  const repo = new CaseRepository(docs, vault);
  await repo.init();
  const audit = new AuditLog(docs, vault.auditKey);
  const caseAudit = new CaseAudit({ repo, audit });
  const declarations = new DeclarationService({ repo, caseAudit, vault, org, profiles, calendar, caseNumbers: sequentialCaseNumbers() });
  const notices: Cases['notices'] = [];
  const { logger, lines } = captureLogs();
  const cases = new CaseService({
    repo,
    caseAudit,
    org,
    profiles: options.decideUnder ?? profiles,
    calendar,
    messages: new CaseMessages({ texts: createTexts(), org, profiles }),
    outbox: {
      enqueue: async (items) => {
        for (const item of items) if (item.delivery.type === 'messages') notices.push({ to: item.delivery.to, messages: item.delivery.messages });
      },
    },
    logger,
  });
  return { org, repo, audit, caseAudit, declarations, cases, notices, logs: lines };
}

/** Cases on a fresh embedded document store (what a database dump would hold is under `dataDir`). */
export async function openCaseWorld(org: Org = loadOrgFile(DEMO_ORG_FILE), options: { decideUnder?: readonly PolicyProfile[] } = {}): Promise<CaseWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fpfp-cases-'));
  const docs = await EmbeddedDocumentStore.open({ dir: dataDir });
  return {
    ...(await casesOn(docs, org, options)),
    dataDir,
    docs,
    async close() {
      await docs.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
