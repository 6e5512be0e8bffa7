import { z } from 'zod';

/**
 * Key groups (重点对象) a profile's monthly check covers besides the monitored households: Hunan's "10类对象"
 * (seed003 一: "对需要重点关注的10类对象做到排查全覆盖"). No seed lists them (brief §4.5), so a profile says
 * where its list comes from and whether it is confirmed (`listed`: a text names them) or a `candidate`
 * (the closest list found, to be confirmed by the province). Ids are shared across profiles; labels are
 * as the source prints them (English names in templates/en/checks.json `keyGroup.*`).
 * @example { "status": "candidate", "source": "W29 …", "groups": [{ "id": "incomeDrop", "label": "脱贫人口收入明显下降" }] }
 */
export const KEY_GROUPS = [
  'incomeDrop', // 脱贫人口收入明显下降
  'unstableWork', // 务工就业不稳
  'failedBusiness', // 产业项目失败
  'seriousIllness', // 大病重病
  'severeDisability', // 重度残疾
  'schoolingCost', // 多子女非义务教育阶段就学
  'accident', // 意外事故致"3+1"保障出现风险
  'newMinimumLivingAllowance', // 当年新纳入低保
  'dispersedExtremePoverty', // 分散供养特困
  'temporaryAssistance', // 享受临时救助
] as const;
export type KeyGroup = (typeof KEY_GROUPS)[number];

export const keyGroupsSchema = z
  .object({
    /** `listed`: the profile's source names the groups; `candidate`: no source does, this is the closest list found. */
    status: z.enum(['listed', 'candidate']),
    /** Where the list comes from, and what is not known about it. */
    source: z.string().trim().min(1),
    groups: z
      .array(z.object({ id: z.enum(KEY_GROUPS), label: z.string().trim().min(1).max(60) }).strict())
      .min(1)
      .refine((list) => new Set(list.map((g) => g.id)).size === list.length, 'lists a group twice'),
  })
  .strict();
export type KeyGroups = z.infer<typeof keyGroupsSchema>;

/** The key groups a profile checks monthly; none when the profile lists none. */
export function keyGroupsOf(profile: { keyGroups?: KeyGroups | undefined }): KeyGroups['groups'] {
  return profile.keyGroups?.groups ?? [];
}

/**
 * The key group a register row names, by id or by the label the profile prints (what a township types in
 * its spreadsheet: "大病重病" or "seriousIllness"); undefined when the profile has no such group.
 */
export function readKeyGroup(profile: { keyGroups?: KeyGroups | undefined }, text: string): KeyGroup | undefined {
  const t = text.trim();
  return keyGroupsOf(profile).find((g) => g.id === t || g.label === t || g.label.replace(/[（(].*$/, '') === t)?.id;
}
