import { z } from 'zod';

// The ids every profile's code lists draw from. A profile lists the entries its own texts print, each with
// its Chinese label as printed there (circled numbers included); English labels are in
// templates/en/staff.json under `codeList.*`. Ids are shared across provinces so that a case keeps its
// meaning when it is read under another profile.

/** Monitored-household categories (监测对象类别, glossary). */
export const MONITORED_CATEGORIES = ['unstableLifted', 'marginalAtRisk', 'suddenHardship'] as const;

/** Risk types (致贫/返贫风险): Hunan's ⑥–⑭ plus the older points of Chongqing and Guangdong 2021. */
export const RISK_TYPES = [
  'illness', // 因病
  'schooling', // 因学
  'disability', // 因残
  'naturalDisaster', // 因自然灾害
  'accident', // 因意外事故
  'failedBusiness', // 因产业项目失败
  'unstableWork', // 因务工就业不稳
  'lackOfLabour', // 缺劳动力
  'lackOfMotivation', // 自身发展动力不足 (seed004), 内生动力不足 (seed001)
  'epidemic', // 因疫情 (seed004), 新冠肺炎疫情影响 (seed001)
  'suddenEvent', // 因突发事件 (seed004, seed001)
  'other', // 其他
] as const;

/** The 三保障 and drinking-water items, with Hunan's ① income item (ids as the declaration flow uses them). */
export const BASIC_GUARANTEES = ['lowIncome', 'housing', 'compulsoryEducation', 'drinkingWater', 'medicalInsurance'] as const;

/**
 * Assistance measure categories (帮扶措施类别): the union of the national 2023 collection columns and the
 * seeds' lists (seed004 D3, seed000, seed001). The procedure accepts any of them; a profile lists the ones
 * its forms offer.
 */
export const ASSISTANCE_MEASURE_CATEGORIES = [
  'industry', // 产业帮扶
  'employment', // 就业帮扶
  'finance', // 金融帮扶
  'publicWelfareJob', // 公益岗位帮扶
  'health', // 健康帮扶
  'compulsoryEducation', // 义务教育保障
  'otherEducation', // 其他教育帮扶
  'comprehensiveSecurity', // 综合保障
  'housingSecurity', // 住房安全保障
  'drinkingWaterSecurity', // 饮水安全保障
  'socialAssistance', // 社会帮扶
  'relocation', // 搬迁
  'livingConditions', // 生产生活条件改善 (national), 生活条件改善 (seed004)
  'infrastructure', // 基础设施建设
  'ecology', // 生态帮扶 (seed004)
  'education', // 教育帮扶 (seed004: one column for all schooling)
  'aspirationAndSkills', // 扶志扶智 (seed004, seed000, seed001)
  'microcredit', // 小额信贷 (seed000)
  'insurance', // 精准保险 (seed000)
  'other', // 其他帮扶 (seed001)
] as const;

/** One entry of a code list: an id and the label the profile's source prints. */
function entries<const T extends readonly [string, ...string[]]>(ids: T) {
  return z
    .array(z.object({ id: z.enum(ids), label: z.string().trim().min(1).max(60) }).strict())
    .min(1)
    .refine((list) => new Set(list.map((e) => e.id)).size === list.length, 'lists an id twice');
}

/**
 * The options a staff form offers under a profile.
 * @example { "riskTypes": [{ "id": "illness", "label": "⑥因病" }], "basicGuarantees": [{ "id": "housing", "label": "②住房安全保障风险" }], … }
 */
export const codeListsSchema = z
  .object({
    householdCategories: entries(MONITORED_CATEGORIES),
    riskTypes: entries(RISK_TYPES),
    basicGuarantees: entries(BASIC_GUARANTEES),
    measureCategories: entries(ASSISTANCE_MEASURE_CATEGORIES),
  })
  .strict();

export type CodeLists = z.infer<typeof codeListsSchema>;
export type RiskType = (typeof RISK_TYPES)[number];
export type AssistanceMeasureCategory = (typeof ASSISTANCE_MEASURE_CATEGORIES)[number];
