import { isIsoDate, type IsoDate, yearOf } from './dates.js';
import { incomeThresholdFor, incomeThresholdSetting, type PolicyProfile, profileKey, profileSource } from './profile.js';

/**
 * Something an operator must fix in a profile: not an outage, but work that cannot be done until it is.
 * @example { "profileKey": "hunan-2022@1", "file": "config/profiles/hunan-2022.yaml", "setting": "incomeThreshold.perYear.\"2026\"", "year": 2026,
 *   "message": "config/profiles/hunan-2022.yaml: incomeThreshold.perYear.\"2026\" is not set — eliminations in 2026 cannot be judged until it is" }
 */
export interface ProfileWarning {
  profileKey: string;
  /** The profile file, or `profile <key>` for a profile built in code. */
  file: string;
  /** The missing setting, as written in the file. */
  setting: string;
  year: number;
  message: string;
}

/**
 * What the profiles in force on `today` (Shanghai date) lack for today's year: each county sets its
 * income line every year, and a year without one must not pass unnoticed. Profiles that take effect
 * later are left out (their year comes when they do).
 */
export function profileWarnings(profiles: readonly PolicyProfile[], today: IsoDate): ProfileWarning[] {
  if (!isIsoDate(today)) throw new RangeError(`profileWarnings: not a date written YYYY-MM-DD: "${today}"`);
  const year = yearOf(today);
  return profiles
    .filter((p) => p.effectiveFrom <= today && incomeThresholdFor(p, year) === undefined)
    .map((p) => {
      const file = profileSource(p);
      const setting = incomeThresholdSetting(year);
      const consequence = p.elimination.blockIfIncomeBelowLine
        ? `eliminations in ${year} cannot be judged until it is`
        : `the ${year} monitoring line is unknown until it is`;
      return { profileKey: profileKey(p), file, setting, year, message: `${file}: ${setting} is not set — ${consequence}` };
    });
}
