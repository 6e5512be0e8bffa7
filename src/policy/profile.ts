import { z } from 'zod';
import { isoDateSchema } from './calendar-schema.js';
import { codeListsSchema } from './code-lists.js';
import { incomeWindowSchema } from './income-window.js';
import { keyGroupsSchema } from './key-groups.js';

/** Units a limit may be counted in (see `WorkCalendar.deadline`). */
export const LIMIT_UNITS = ['natural', 'working', 'month'] as const;
/** Who decides on identification and elimination, and who announces it. */
export const APPROVAL_MODES = [
  'townshipDecidesCountyFiles', // Henan 2021: township decides and announces in the village, county files (备案)
  'countyApprovesAndAnnounces', // Hunan 2022 / 工作指南: county approves; its approval date is the identification date
] as const;
/** When the data cross-check (信息比对) runs. */
export const CROSS_CHECK_TIMINGS = ['beforeAppraisal', 'duringNotice'] as const;
/** Households already in these registers skip the cross-check (data shared with 民政). */
export const CROSS_CHECK_EXEMPT = [
  'minimumLivingAllowance', // 低保
  'extremePoverty', // 特困
  'orphan', // 孤儿
  'unattendedChild', // 事实无人抚养儿童 (listed with 孤儿 by Hunan)
] as const;

const amount = z.number().int().positive();
const limitSchema = z.object({ amount, unit: z.enum(LIMIT_UNITS) }).strict();
const dayLimitSchema = z.object({ amount, unit: z.enum(['natural', 'working']) }).strict();

/** A policy profile: everything that differs between provinces and years, as data. */
export const profileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case, e.g. hunan-2022'),
    version: z.number().int().positive(),
    name: z.string().trim().min(1),
    /** 'CN' (national fallback) or the GB/T 2260 code prefix of a province (2 digits), city (4) or county (6). */
    region: z.string().regex(/^(CN|\d{2}|\d{4}|\d{6})$/, 'must be CN or a 2-, 4- or 6-digit area code prefix'),
    /** First date (Shanghai) on which new cases are opened under this profile. */
    effectiveFrom: isoDateSchema,
    sources: z.array(z.string().min(1)).min(1),
    incomeThreshold: z
      .object({
        basis: z.enum(['netIncomePerCapita', 'disposableIncomePerCapita']),
        /** 元 per person per year, by calendar year. */
        perYear: z.record(z.string().regex(/^\d{4}$/, 'year keys must be 4 digits'), z.number().positive()),
      })
      .strict(),
    /** Optional: the months a household's income is counted over; the calendar year when not set. */
    incomeWindow: incomeWindowSchema.optional(),
    limits: z
      .object({
        /** Lead found → identification done (县级审定 or 乡镇确定); the clock starts the day the lead is found. */
        identification: limitSchema,
        /** Village 公示, minimum length; used for identification and elimination alike (unused where neither has one). */
        publicNotice: dayLimitSchema,
        /** Identification → assistance measures planned and filed by the village. */
        assistancePlan: limitSchema,
        /** Identification → measures entered in the national system (entered later, the measures count as 未落实: not carried out). */
        measureEntry: limitSchema,
        /** Optional: declaration → accepted by the township. */
        declarationAcceptance: limitSchema.optional(),
        /** Optional: decision → refused household told why. */
        rejectionNotice: limitSchema.optional(),
      })
      .strict(),
    /** Whether a natural-day or month deadline that falls on a day off moves to the next working day. */
    deadlineOnNonWorkingDay: z.enum(['keep', 'nextWorkingDay']),
    /** Day of the month (1–28) by which the township's monthly check report is due. */
    monthlyReportDay: z.number().int().min(1).max(28),
    centralChecksPerYear: z.number().int().min(1),
    /** Optional: key groups (重点对象) the monthly check covers besides monitored households (src/policy/key-groups.ts). */
    keyGroups: keyGroupsSchema.optional(),
    approval: z.enum(APPROVAL_MODES),
    /** Where the final 公告 is posted (the announcer follows from `approval`). */
    announcementChannel: z.enum(['governmentWebsite', 'villageBoard']),
    /** County/township 会商研判 for households disputed at the village appraisal. */
    countyConsultationForDisputed: z.boolean(),
    dataCrossCheck: z
      .object({ timing: z.enum(CROSS_CHECK_TIMINGS), skipFor: z.array(z.enum(CROSS_CHECK_EXEMPT)) })
      .strict()
      .refine((c) => new Set(c.skipFor).size === c.skipFor.length, 'skipFor lists a category twice'),
    /** Optional steps of identification; a step a profile does not have is skipped (src/procedure/moves.ts). */
    identification: z
      .object({
        /** 入户核实: always a step, since the signed commitment and the household's facts are recorded there. */
        homeVerification: z.literal(true),
        /** 民主评议 and the village 公示 that follows it. */
        villageAppraisal: z.boolean(),
      })
      .strict(),
    /** Household categories, risk types, 三保障 items and measure categories the staff forms offer. */
    codeLists: codeListsSchema,
    elimination: z
      .object({
        /** Refuse while the year's per-capita income is below the year's line. */
        blockIfIncomeBelowLine: z.boolean(),
        /** A household with no labour capacity is held in monitoring, not eliminated. */
        holdIfNoLabour: z.boolean(),
        /** Elimination by assistance allowed from this many months after the identification month (2 = not the same or next month). */
        byAssistanceEarliestMonth: z.number().int().min(0).max(24),
        /** Optional: months of stable income required first. */
        minStableMonths: z.number().int().positive().optional(),
        /** 入户核实 for the elimination; without it, the year's income comes with the proposal. */
        homeVerification: z.boolean(),
        /** The household signs that it agrees (农户签字确认). */
        householdAgreement: z.boolean(),
        /** 民主评议 and the village 公示 that follows it. */
        villageAppraisal: z.boolean(),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.identification.villageAppraisal && p.dataCrossCheck.timing === 'duringNotice') {
      ctx.addIssue({ code: 'custom', path: ['dataCrossCheck', 'timing'], message: 'duringNotice needs a village notice, but identification.villageAppraisal is false; use beforeAppraisal' });
    }
  });

/** A checked policy profile; `file` is where the loader read it from (e.g. 'config/profiles/hunan-2022.yaml'). */
export type PolicyProfile = z.infer<typeof profileSchema> & { readonly file?: string };
/** One time limit of a profile: an amount and its unit. */
export type Limit = PolicyProfile['limits']['identification'];
/** `id@version`: what a case stores to keep the profile it was opened under. */
export type ProfileKey = `${string}@${number}`;

/** The key a case records, e.g. 'hunan-2022@1'. */
export function profileKey(profile: Pick<PolicyProfile, 'id' | 'version'>): ProfileKey {
  return `${profile.id}@${profile.version}`;
}

/** The income line (元/person/year) for a year, or undefined when the profile has none for it. */
export function incomeThresholdFor(profile: PolicyProfile, year: number): number | undefined {
  return profile.incomeThreshold.perYear[String(year)];
}

/** The setting that holds a year's income line, as written in the profile file: incomeThreshold.perYear."2026". */
export function incomeThresholdSetting(year: number): string {
  return `incomeThreshold.perYear."${year}"`;
}

/** Where a profile came from, for messages to operators: its file, or its key when it was built in code. */
export function profileSource(profile: PolicyProfile): string {
  return profile.file ?? `profile ${profileKey(profile)}`;
}
