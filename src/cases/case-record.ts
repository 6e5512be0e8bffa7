import type { Address } from '../channel/messages.js';
import type { Locale } from '../i18n/i18n.js';
import type { StoredEvent, StoredProcedure } from '../privacy/case-sealer.js';
import type { CaseSnapshot } from '../procedure/case-snapshot.js';
import type { TransitionEvent } from '../procedure/transition-event.js';
import type { Doc } from '../stores/document-store.js';

/**
 * A case as stored: the procedure state (`procedure`, what `decide` works on, with `procedure.id` = `_id`)
 * plus what only this service keeps: the case number, the area path, the household and its declaration.
 * Personal data and every free text the household typed are sealed by the Vault (`…Sealed`) and looked up by
 * keyed hash (`…Key`); the masked forms are what staff messages show. The procedure state's income and free
 * texts, and its pending step's data and reason, are sealed too when stored (StoredCaseRecord). A database dump
 * alone reveals no ID or phone number, no income and none of the words households or staff typed.
 * @example { "_id": "5f0c…", "caseNumber": "20261122-0001",
 *   "procedure": { "id": "5f0c…", "version": 1, "stage": "lead", "villageCode": "430621101201", "profileKey": "hunan-2022@1", … },
 *   "auditHead": { "seq": 1, "hash": "9f…" }, "area": { "county": "430621", "township": "430621101", "village": "430621101201" }, … }
 */
export interface CaseRecord extends Doc {
  /** Case number as the household and staff see it, e.g. "20261122-0427". */
  caseNumber: string;
  procedure: CaseSnapshot;
  /** The last audit record of the case; `seq` equals `procedure.version` once the last step is in the audit trail. */
  auditHead: { seq: number; hash: string } | null;
  /**
   * The step written together with `procedure` and not yet in the audit trail. Whoever loads the case next
   * appends it first, so a crash between the case write and the audit append never loses a step.
   */
  auditPending?: TransitionEvent;
  /** Keyed seal of `auditPending` with the state it produced (CaseAudit.withPending); a step without it is refused. */
  auditPendingSeal?: string;
  /** Keyed seal of `auditHead` (CaseAudit.settle). */
  auditSeal?: string;
  area: { county: string; township: string; village: string; group?: string };
  household: {
    head: string;
    size: number;
    idNumberSealed: string;
    idNumberKey: string;
    idNumberMasked: string;
    phoneSealed: string;
    phoneMasked: string;
  };
  declaration?: {
    riskTypes: string[];
    /** The ⑭ 其他 reason the household typed (only with riskTypes "other"); its own words, so sealed like the description. */
    otherReasonSealed?: string;
    basicGuarantees: string[];
    /** The household's own words; may hold health details, ID or phone numbers, so sealed. */
    descriptionSealed: string;
    /**
     * When the household made its commitment and authorization (申请及承诺授权书): the instant it agreed by chat,
     * or, when `onPaper`, the day it signed the paper form ('YYYY-MM-DD'). Absent for a lead a cadre found whose
     * household has not signed yet: the home visit records the signature.
     */
    commitmentAt?: string;
    authorizationAt?: string;
    onPaper?: true;
    /**
     * Who filled it in: the household on 微信客服 (to answer its 进度 and tell it each outcome; only this address
     * may see the case), or the staff member who reported the lead or declared for the household (app address).
     */
    declarant: Address;
    declarantKey: string;
    /** The staff member who reported the lead (上报线索) or declared for the household (代申报), as recorded in the opening step. */
    declaredBy?: string;
    /** The language the household chose on 微信客服 when it declared: outcome notices are written in it. */
    locale?: Locale;
    /** The inbound message that submitted it (a retried submission is recognised as this one). */
    requestId?: string;
  };
  createdAt: string;
  updatedAt: string;
}

/**
 * A case as the `cases` collection holds it: `procedure` and `auditPending` in their sealed forms (CaseSealer,
 * fields listed in src/privacy/sensitive-fields.ts). CaseRepository seals on every write and opens on every read,
 * so everything above it sees a CaseRecord. A document stored before sealing came in has no `sealed` parts and
 * reads as it is; its next write seals it.
 * @example { "_id": "5f0c…", "caseNumber": "20261122-0001",
 *   "procedure": { "id": "5f0c…", "version": 3, "stage": "villageAppraisal", "crossCheck": { "status": "pending" }, …, "sealed": "v1.…" },
 *   "auditPending": { "action": "recordHomeVerification", "version": 3, …, "data": { "commitment": true, "noLabour": false, … }, "sealed": "v1.…" }, … }
 */
export type StoredCaseRecord = Omit<CaseRecord, 'procedure' | 'auditPending'> & { procedure: StoredProcedure; auditPending?: StoredEvent };

/** Marks the open case of a household (`_id` = ID-number lookup key); inserting it is the duplicate check. */
export interface OpenHouseholdMark extends Doc {
  caseId: string;
  at: string;
}
