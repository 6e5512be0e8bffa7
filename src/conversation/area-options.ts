import type { DynamicOption } from '../engine/step-types/index.js';
import type { Answers } from '../engine/events.js';
import type { Org } from '../org/org.js';

/** Option sources flows may name in `optionsFrom`, read from the area tree of the org file. */
export const AREA_OPTION_SOURCES = ['townships', 'villages', 'groups'] as const;

export function areaOptions(org: Org): Record<(typeof AREA_OPTION_SOURCES)[number], (answers: Answers) => DynamicOption[]> {
  const under = (code: unknown) => (typeof code === 'string' ? org.children(code).map((a) => ({ id: a.code, label: a.name })) : []);
  return {
    townships: () => under(org.file.county.code),
    villages: (answers) => under(answers.township),
    groups: (answers) => under(answers.village),
  };
}
