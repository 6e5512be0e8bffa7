import type { DynamicOption } from '../engine/step-types/index.js';
import { answerOf, type Answers } from '../engine/events.js';
import type { Org, Role } from '../org/org.js';
import type { Locale } from '../i18n/i18n.js';
import { findProfile, type PolicyProfile } from '../policy/index.js';
import { ASSISTANCE_MEASURE_CATEGORIES } from '../policy/code-lists.js';
import { leadVillages } from '../cases/lead-reports.js';

/** Option sources flows may name in `optionsFrom`: the area tree, and the staff and code lists a case's forms offer. */
export const AREA_OPTION_SOURCES = ['townships', 'villages', 'groups', 'staffTownships', 'staffVillages', 'caseStaff', 'caseCadres', 'caseGuarantees', 'caseRiskTypes', 'measureCategories'] as const;
export type OptionSources = Record<(typeof AREA_OPTION_SOURCES)[number], (answers: Answers) => DynamicOption[]>;

/** Roles whose holders go on home visits with a cadre: the village's staff and the township's. */
const VISITING_ROLES: readonly Role[] = ['cadre', 'villageSecretary', 'townshipReviewer'];

/** The caseStaff option for visitors not on the roster; the form then asks their names (`otherVisitors`). */
export const OTHER_VISITORS_ID = 'others';

type CodeList = 'riskTypes' | 'basicGuarantees' | 'measureCategories';
const CODE_LIST_TEXTS: Record<CodeList, string> = { riskTypes: 'riskType', basicGuarantees: 'basicGuarantee', measureCategories: 'measureCategory' };

/**
 * The option sources, with labels in the person's language (`t` translates a text key). Code lists come from
 * the policy profile of the case a form is for (`caseProfile` among its answers): each province's own list,
 * with its labels as its texts print them (in Chinese), or the English names.
 */
export function optionSources(org: Org, t: (key: string) => string, profiles: readonly PolicyProfile[] = [], locale: Locale = 'zh-CN'): OptionSources {
  const codes = (answers: Answers, list: CodeList): DynamicOption[] => {
    const key = answerOf(answers, 'caseProfile');
    const profile = typeof key === 'string' ? findProfile(profiles, key) : undefined;
    return (profile?.codeLists[list] ?? []).map((e) => ({ id: e.id, label: locale === 'zh-CN' ? e.label : t(`staff:codeList.${CODE_LIST_TEXTS[list]}.${e.id}`) }));
  };
  const none = (id: string, key: string): DynamicOption => ({ id, label: t(key), exclusive: true });
  const under = (code: unknown) => (typeof code === 'string' ? org.children(code).map((a) => ({ id: a.code, label: a.name })) : []);
  const village = (answers: Answers) => {
    const code = answerOf(answers, 'caseVillage');
    return typeof code === 'string' ? code : undefined;
  };
  const actor = (answers: Answers) => String(answerOf(answers, 'actorUserId') ?? '').toLowerCase();
  return {
    // "柳塘村三组" typed at the township question names its township: each township is known by its villages' names too.
    townships: () => under(org.file.county.code).map((t) => ({ ...t, keywords: org.children(t.id).flatMap((v) => placeNames(v.name)) })),
    villages: (answers) => under(answerOf(answers, 'township')),
    groups: (answers) => under(answerOf(answers, 'village')),
    // A lead a staff member enters: only the townships and villages they serve (leadVillages).
    staffTownships: (answers) => {
      const member = org.findStaff(actor(answers));
      const townships = new Set((member ? leadVillages(org, member) : []).map((v) => v.parent));
      return under(org.file.county.code).filter((t) => townships.has(t.id));
    },
    staffVillages: (answers) => {
      const member = org.findStaff(actor(answers));
      const villages = new Set((member ? leadVillages(org, member) : []).map((v) => v.code));
      return under(answerOf(answers, 'township')).filter((v) => villages.has(v.id));
    },
    // Who can go on the visit with the one filling the form: the village's and township's staff, the form's filler
    // left out, then "someone else, by name" (a 村会计 or a work-team member not on the roster; a village whose only
    // staff member is the one filling the form has no one else to choose, and must not be stuck).
    caseStaff: (answers) => {
      const code = village(answers);
      if (!code) return [];
      const staff = org.file.staff
        .filter((m) => m.userId.toLowerCase() !== actor(answers))
        .flatMap((m) => {
          const role = VISITING_ROLES.find((r) => org.serves(m, r, code));
          return role ? [{ id: m.userId, label: `${m.name}（${t(`staff:role.${role}`)}）` }] : [];
        });
      return [...staff, { id: OTHER_VISITORS_ID, label: t('staff:form.otherVisitors') }];
    },
    caseCadres: (answers) => {
      const code = village(answers);
      return code ? org.staffServing(code, 'cadre').map((m) => ({ id: m.userId, label: m.name })) : [];
    },
    caseGuarantees: (answers) => [...codes(answers, 'basicGuarantees'), none('none', 'staff:form.noneOfThese')],
    caseRiskTypes: (answers) => [...codes(answers, 'riskTypes'), none('none', 'staff:form.noRisk')],
    // Every category of the seeds' union: the profile's own list first, as its texts print it, then the rest.
    measureCategories: (answers) => {
      const own = codes(answers, 'measureCategories');
      const rest = ASSISTANCE_MEASURE_CATEGORIES.filter((id) => !own.some((o) => o.id === id));
      const keywords = (id: string) => t(`staff:codeList.measureCategoryKeywords.${id}`).split(/[、,，]\s*/u).filter(Boolean);
      return [...own, ...rest.map((id) => ({ id, label: t(`staff:codeList.measureCategory.${id}`) }))].map((o) => ({ ...o, keywords: keywords(o.id) }));
    },
  };
}

/** A place as people say it: "柳塘村" and "柳塘" (a name too short without its suffix is left whole). */
function placeNames(name: string): string[] {
  const bare = name.replace(/(?:村民委员会|居民委员会|村委会|社区|村)$/u, '');
  return bare.length >= 2 && bare !== name ? [name, bare] : [name];
}

/** The area sources alone (flows that do not run for a case). */
export function areaOptions(org: Org): OptionSources {
  return optionSources(org, (key) => key);
}
