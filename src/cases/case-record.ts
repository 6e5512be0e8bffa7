import type { Address } from '../channel/messages.js';
import type { IsoDate } from '../policy/dates.js';
import type { Doc } from '../stores/document-store.js';

/** How a lead was found (glossary `source`). */
export type LeadSource = 'selfDeclaration' | 'cadreCheck' | 'departmentAlert';

/**
 * A case as stored. Personal data is sealed by the Vault (`…Sealed`) and looked up by keyed hash (`…Key`);
 * the masked forms are what staff messages show. A database dump alone reveals no ID or phone number.
 */
export interface CaseRecord extends Doc {
  /** Case number as the household and staff see it, e.g. "20261122-0427". */
  caseNumber: string;
  stage: string;
  /** Bumped by every change; decisions carry the version they were made on. */
  version: number;
  source: LeadSource;
  /** The policy profile the case was opened under, `id@version`. */
  profileKey: string;
  /** The day the lead was found: the identification clock starts here. */
  leadFoundOn: IsoDate;
  deadlines: { identification: IsoDate };
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
    otherReason?: string;
    basicGuarantees: string[];
    /** The household's own words; may hold health details, so sealed. */
    descriptionSealed: string;
    commitmentAt: string;
    authorizationAt: string;
    /** Who declared, to answer 进度 and to tell them the outcome. Only this address may see the case. */
    declarant: Address;
    declarantKey: string;
  };
  createdAt: string;
  updatedAt: string;
}

/** Marks the open case of a household (`_id` = ID-number lookup key); inserting it is the duplicate check. */
export interface OpenHouseholdMark extends Doc {
  caseId: string;
  at: string;
}
