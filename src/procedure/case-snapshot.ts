import { z } from 'zod';
import { isoDateSchema } from '../policy/calendar-schema.js';
import { ASSISTANCE_MEASURE_CATEGORIES } from '../policy/code-lists.js';
import { CROSS_CHECK_EXEMPT } from '../policy/profile.js';
import { STAGES } from './stages.js';

/** How the lead was found (glossary `source`). */
export const LEAD_SOURCES = ['selfDeclaration', 'cadreCheck', 'departmentAlert'] as const;
/**
 * Hardship plain enough for relief first (先行救助): "因灾因意外事故等导致…生活陷入严重困难事实清楚的" (seed003 二.7);
 * the "等" covers a sudden severe illness, which seed000 names beside them (因病因灾因意外事故, 三（二）1).
 */
export const FAST_TRACK_HARDSHIPS = ['disaster', 'accident', 'suddenIllness'] as const;
/** How the household's agreement to an elimination was given: signed on the paper form, or answered on 微信客服. */
export const AGREEMENT_CHANNELS = ['paper', 'kf'] as const;
/** 风险消除方式: 帮扶消除 / 自然消除. */
export const ELIMINATION_METHODS = ['byAssistance', 'natural'] as const;
/**
 * Assistance measure categories the procedure accepts: the union of every profile's list (the national
 * 2023 columns and the seeds' categories; see policy/code-lists.ts). A case outlives the list of the
 * profile it was opened under, so any known category is kept; the forms offer the profile's own list.
 */
export { ASSISTANCE_MEASURE_CATEGORIES };

const userId = z.string().min(1).max(64);

/**
 * One planned measure: its category, a one-line content, and the unit responsible.
 * @example { "category": "health", "content": "大病医疗救助，报销后自付部分再救助", "unit": "县医保局" }
 */
export const assistanceMeasureSchema = z
  .object({ category: z.enum(ASSISTANCE_MEASURE_CATEGORIES), content: z.string().trim().min(1).max(100), unit: z.string().trim().min(1).max(40) })
  .strict();
export type AssistanceMeasure = z.infer<typeof assistanceMeasureSchema>;
const objectionSchema = z
  .object({
    id: z.string(),
    raisedOn: isoDateSchema,
    /** Who raised it, when they gave their name (personal: sealed); absent when it was raised anonymously. */
    raisedBy: z.string().optional(),
    summary: z.string(),
    status: z.enum(['open', 'upheld', 'dismissed', 'superseded']),
    resolvedOn: isoDateSchema.optional(),
    resolution: z.string().optional(),
  })
  .strict();

/**
 * A case as stored: plain JSON, validated on read and write. No ID numbers or phone numbers: those are
 * kept encrypted elsewhere and joined by `id`. `version` grows by one with every accepted decision.
 * @example { "id": "c-1", "version": 1, "stage": "lead", "villageCode": "430621101201", "source": "cadreCheck",
 *   "profileKey": "hunan-2022@1", "leadFoundOn": "2026-03-02", "deadlines": { "identification": "2026-03-17" }, … }
 */
export const caseSnapshotSchema = z
  .object({
    id: z.string().min(1),
    version: z.number().int().min(1),
    stage: z.enum(STAGES),
    villageCode: z.string().min(1),
    source: z.enum(LEAD_SOURCES),
    profileKey: z.string().regex(/^[a-z0-9-]+@\d+$/),
    /** The closed case of the same household this one re-identifies (history stays there). */
    previousCaseId: z.string().optional(),
    /** The 15-day clock starts on this day. */
    leadFoundOn: isoDateSchema,
    fastTrack: z
      .object({
        hardship: z.enum(FAST_TRACK_HARDSHIPS),
        markedOn: isoDateSchema,
        note: z.string(),
        relief: z.string().optional(),
        /** The money given, in 元, when the relief was (partly) money. */
        reliefAmount: z.number().nonnegative().optional(),
        reliefOn: isoDateSchema.optional(),
      })
      .strict()
      .nullable(),
    householdFlags: z
      .object({
        /** Registers the household is already in (低保, 特困, 孤儿 …): some skip the cross-check. */
        registers: z.array(z.enum(CROSS_CHECK_EXEMPT)),
        noLabour: z.boolean(),
      })
      .strict(),
    /** 人均纯收入 in 元 by calendar year, as found at the last home verification. */
    netIncomePerCapita: z.record(z.string().regex(/^\d{4}$/), z.number().nonnegative()),
    crossCheck: z
      .object({
        status: z.enum(['pending', 'clear', 'flagged', 'skipped']),
        on: isoDateSchema.optional(),
        note: z.string().optional(),
        /** The register that exempts the household, when skipped by rule. */
        exemptBy: z.enum(CROSS_CHECK_EXEMPT).optional(),
      })
      .strict(),
    /** The running or last public notice (identification or elimination); `endsOn` is its last day. */
    notice: z.object({ startsOn: isoDateSchema, endsOn: isoDateSchema }).strict().nullable(),
    objections: z.array(objectionSchema),
    /** Cadres handling the open identification work; empty = any cadre of the village. */
    assignees: z.array(userId),
    monitoringContacts: z.array(userId),
    /** The approval date under county approval, the township's decision date otherwise. */
    identifiedOn: isoDateSchema.nullable(),
    /**
     * The measures the village planned (10 days), each of a category with what it is and who carries it out;
     * `enteredOn`: the day they were entered in the national system (1 month; later, they count as not carried out).
     */
    assistancePlan: z
      .object({
        plannedOn: isoDateSchema,
        measures: z.array(z.union([z.enum(ASSISTANCE_MEASURE_CATEGORIES), assistanceMeasureSchema])).min(1),
        enteredOn: isoDateSchema.optional(),
      })
      .strict()
      .nullable(),
    /** The running elimination: how, since when, what changed (the proposer's words), and the household's agreement. */
    elimination: z
      .object({
        method: z.enum(ELIMINATION_METHODS),
        proposedOn: isoDateSchema,
        note: z.string().optional(),
        householdAgreedOn: isoDateSchema.optional(),
        householdAgreedVia: z.enum(AGREEMENT_CHANNELS).optional(),
      })
      .strict()
      .nullable(),
    eliminatedOn: isoDateSchema.nullable(),
    rejection: z.object({ on: isoDateSchema, reasons: z.array(z.string()).min(1) }).strict().nullable(),
    /** Last days (inclusive) computed from the profile; see deadlines.ts. */
    deadlines: z
      .object({
        identification: isoDateSchema,
        declarationAcceptance: isoDateSchema.optional(),
        assistancePlan: isoDateSchema.optional(),
        measureEntry: isoDateSchema.optional(),
        rejectionNotice: isoDateSchema.optional(),
      })
      .strict(),
  })
  .strict();

export type CaseSnapshot = z.infer<typeof caseSnapshotSchema>;
export type LeadSource = (typeof LEAD_SOURCES)[number];
export type Objection = z.infer<typeof objectionSchema>;
