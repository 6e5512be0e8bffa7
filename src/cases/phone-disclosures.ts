import { randomBytes } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.js';
import type { ChainVerdict } from '../audit/hash-chain.js';
import type { Org, StaffMember } from '../org/org.js';
import type { Vault } from '../privacy/vault.js';
import type { DocumentStore } from '../stores/document-store.js';
import type { CaseRecord } from './case-record.js';
import type { CaseRepository } from './case-repository.js';

/** The collection of phone disclosures: a keyed hash chain per case, apart from the case's own trail. */
export const DISCLOSURE_COLLECTION = 'phone_disclosures';

/**
 * One time a staff member was shown a household's full phone number. No number in it: who, when, which case,
 * and why they may (`as`). Kept in its own chain (id `phone:<caseId>`), so the case's procedure trail, its
 * version count and its audit check are untouched, and a disclosure record moved into a case trail breaks.
 * @example { "type": "phoneDisclosed", "caseId": "5f0c…", "caseNumber": "20261122-0001", "userId": "wangcadre",
 *   "as": "monitoringContact", "at": "2026-11-22T08:05:00.000Z", "requestId": "in42" }
 */
export interface PhoneDisclosure {
  type: 'phoneDisclosed';
  caseId: string;
  caseNumber: string;
  userId: string;
  as: DisclosureGround;
  at: string;
  /** The inbound message (tap or command) it answered: a retry of the same message records nothing twice. */
  requestId: string;
}

/** Who may see a household's full phone: its own monitoring contacts, and the cadres of its village. */
export type DisclosureGround = 'monitoringContact' | 'villageCadre';

/**
 * What a request to see the phone came to. `shown` carries the number for the one reply to the one who asked;
 * it is never logged or sent to anyone else.
 */
export type PhoneReveal =
  | { kind: 'shown'; record: CaseRecord; phone: string }
  | { kind: 'notAllowed'; record: CaseRecord }
  | { kind: 'unknownCase' };

/**
 * Shows a household's full phone to those who must call it, and records each time in the audit store. Everyone
 * else, and every group or public text, keeps the masked number (CaseRecord.household.phoneMasked). The number
 * is sealed in the case (household.phoneSealed); the Vault opens it only here, after the disclosure is recorded.
 */
export class PhoneDisclosures {
  private readonly log: AuditLog;

  constructor(private readonly deps: { repo: CaseRepository; docs: DocumentStore; vault: Vault; org: Org }) {
    this.log = new AuditLog(deps.docs, deps.vault.auditKey, DISCLOSURE_COLLECTION);
  }

  /** Why `member` may see the case's phone, if they may. */
  groundOf(member: StaffMember, record: CaseRecord): DisclosureGround | undefined {
    const id = member.userId.toLowerCase();
    if (record.procedure.monitoringContacts.some((c) => c.toLowerCase() === id)) return 'monitoringContact';
    return this.deps.org.serves(member, 'cadre', record.procedure.villageCode) ? 'villageCadre' : undefined;
  }

  async reveal(member: StaffMember, which: { caseId: string } | { caseNumber: string }, now: Date, requestId: string): Promise<PhoneReveal> {
    const { repo, vault } = this.deps;
    const record = 'caseId' in which ? await repo.get(which.caseId) : await repo.byNumber(which.caseNumber);
    if (!record) return { kind: 'unknownCase' };
    const ground = this.groundOf(member, record);
    if (!ground) return { kind: 'notAllowed', record };
    const chain = disclosureChainId(record._id);
    const already = (await this.log.read(chain)).some((r) => r.event.requestId === requestId && r.event.userId === member.userId);
    if (!already) {
      const disclosure: PhoneDisclosure = { type: 'phoneDisclosed', caseId: record._id, caseNumber: record.caseNumber, userId: member.userId, as: ground, at: now.toISOString(), requestId };
      await this.log.append(chain, disclosure);
    }
    return { kind: 'shown', record, phone: vault.open(record.household.phoneSealed) };
  }

  /** The case's disclosures, oldest first. */
  async of(caseId: string): Promise<PhoneDisclosure[]> {
    return (await this.log.read(disclosureChainId(caseId))).map((r) => r.event as unknown as PhoneDisclosure);
  }

  /** Whether the case's disclosure chain holds under the audit key. */
  async verify(caseId: string): Promise<ChainVerdict> {
    return this.log.verifyCase(disclosureChainId(caseId));
  }
}

/** The disclosure chain of one case (audit:verify checks it beside the case's own trail). */
export function disclosureChainId(caseId: string): string {
  return `phone:${caseId}`;
}

const PHONE_TASK = /^fpphone_([0-9A-Za-z-]{1,64})_[0-9a-z]{1,16}$/;

/** The task_id of a 查看电话 card: `fpphone_<caseId>_<nonce>` (WeCom refuses a task_id used before). */
export function phoneTaskId(caseId: string, nonce: string = randomBytes(5).toString('hex')): string {
  return `fpphone_${caseId}_${nonce}`;
}

/** The case a 查看电话 card is for; undefined for any other task_id. */
export function parsePhoneTaskId(taskId: string): string | undefined {
  return PHONE_TASK.exec(taskId)?.[1];
}
