import { z } from 'zod';
import { toHalfWidth } from '../engine/normalise.js';
import { CROSS_CHECK_EXEMPT } from '../policy/profile.js';
import { AGREEMENT_CHANNELS, ASSISTANCE_MEASURE_CATEGORIES, assistanceMeasureSchema, ELIMINATION_METHODS, FAST_TRACK_HARDSHIPS } from './case-snapshot.js';

/** Eleven or more digits in a row: a mobile number or an ID number, which belong in encrypted storage only. */
function holdsPersonalNumber(text: string): boolean {
  return /\d{11,}/.test(toHalfWidth(text).replace(/[\s-]/g, ''));
}

/** Free text that goes into the case and the audit trail. */
const text = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((t) => !holdsPersonalNumber(t), 'must not contain an ID number or a phone number');
/** A person's name as typed (who raised an objection): short, and no ID or phone number. */
const personName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((t) => !holdsPersonalNumber(t), 'must not contain an ID number or a phone number');
const userIds = (min: number, max: number) => z.array(z.string().min(1).max(64)).min(min).max(max);
/** Every decision names the case version it was made on (optimistic concurrency). */
const base = { caseVersion: z.number().int().min(1) };
const act = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...base, ...shape }).strict();

/** 人均纯收入 for one calendar year, in 元. */
const income = z.object({ year: z.number().int().min(2000).max(2100), netIncomePerCapita: z.number().nonnegative() }).strict();

/** A calendar date written 'YYYY-MM-DD'. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Labour capacity of the household as a whole (劳动能力). */
export const LABOUR_CAPACITIES = ['full', 'partial', 'none'] as const;

const verification = {
  /** Names or user ids of the visiting team: two or more (policy: 入户核实 by a team of ≥2). */
  verifiedBy: z.array(z.string().trim().min(1).max(40)).min(1).max(10),
  /** The day of the visit (today when not given); never after today, never before the lead was found. */
  visitedOn: isoDate.optional(),
  /** Which 三保障/饮水 problems (①–⑤) and risk types (⑥–⑭) the visit confirmed (ids as the declaration's). */
  verifiedGuarantees: z.array(z.string().min(1).max(40)).max(10).optional(),
  verifiedRisks: z.array(z.string().min(1).max(40)).max(20).optional(),
  /** The ⑭ "其他" reason as verified. */
  otherReason: text.optional(),
  householdSize: z.number().int().min(1).max(30).optional(),
  labour: z.enum(LABOUR_CAPACITIES).optional(),
  /** Identification only: false when the visit finds no risk; the case is then refused with `reasons`. */
  confirmed: z.boolean().default(true),
  /**
   * Elimination only (form 3, 入户核实): whether the 三保障 and drinking water stay secured, and whether the risks found at
   * identification are stably gone with no new one. Either false stops the elimination, with `reasons`.
   */
  guaranteesStable: z.boolean().optional(),
  risksGone: z.boolean().optional(),
  reasons: z.array(text).max(5).optional(),
  /** 申请及承诺授权书 signed (identification only). */
  commitment: z.boolean().default(false),
  authorization: z.boolean().default(false),
  income: income.optional(),
  noLabour: z.boolean(),
  registers: z.array(z.enum(CROSS_CHECK_EXEMPT)).default([]),
  note: text.optional(),
};

/**
 * What a staff member decides on a case, parsed from a card click or a form.
 * @example { "type": "closeNotice", "caseVersion": 6 }
 * @example { "type": "resolveObjection", "caseVersion": 7, "objectionId": "obj-1", "upheld": true, "reason": "收入核实有误" }
 */
export const actionSchema = z.discriminatedUnion('type', [
  act('acceptLead', { assignees: userIds(0, 3).default([]) }),
  act('markFastTrack', { hardship: z.enum(FAST_TRACK_HARDSHIPS), note: text }),
  /** What relief was given, the money in it (元) when there was some, and the day it was given (today when not given). */
  act('recordRelief', { relief: text, amount: z.number().nonnegative().max(10_000_000).optional(), givenOn: isoDate.optional() }),
  act('recordHomeVerification', verification),
  act('recordCrossCheck', { result: z.enum(['clear', 'flagged']), note: text.optional() }),
  act('recordAppraisal', { note: text.optional() }),
  /** What the objection says, and who raised it when they gave their name (it may stay anonymous). */
  act('recordObjection', { summary: text, raisedBy: personName.optional() }),
  act('resolveObjection', { objectionId: z.string().min(1), upheld: z.boolean(), reason: text }),
  act('closeNotice', {}),
  act('townshipApprove', { note: text.optional() }),
  act('countyApprove', { note: text.optional() }),
  act('register', { monitoringContacts: userIds(1, 3) }),
  act('recordAssistancePlan', { measures: z.array(z.union([z.enum(ASSISTANCE_MEASURE_CATEGORIES), assistanceMeasureSchema])).min(1).max(20) }),
  /** The planned measures were entered in the national system (全国防返贫监测信息系统) on `enteredOn`. */
  act('recordMeasureEntry', { enteredOn: isoDate }),
  act('reject', { reasons: z.array(text).min(1) }),
  /** `income`: the proposer's current figure (e.g. from the monthly check); without it, income is judged at the visit. */
  /** `note`: what changed for the household (the proposer's words). */
  act('proposeElimination', { method: z.enum(ELIMINATION_METHODS), income: income.optional(), note: text.optional() }),
  act('acceptEliminationProposal', {}),
  /**
   * The household's answer to the elimination (form 3, 农户签字确认): signed on paper on `signedOn` (today when not
   * given), or answered by the household itself on 微信客服 (`via: 'kf'`).
   */
  act('recordHouseholdAgreement', { agrees: z.boolean(), signedOn: isoDate.optional(), via: z.enum(AGREEMENT_CHANNELS).default('paper') }),
  act('holdInMonitoring', { reasons: z.array(text).min(1) }),
]);

export type Action = z.infer<typeof actionSchema>;
/** What a caller may pass before defaults are filled in. */
export type ActionInput = z.input<typeof actionSchema>;
export type ActionType = Action['type'];
export const ACTION_TYPES = actionSchema.options.map((o) => o.shape.type.value) as ActionType[];
export type ActionOf<T extends ActionType> = Extract<Action, { type: T }>;
