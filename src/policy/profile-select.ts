import { isIsoDate, type IsoDate } from './dates.js';
import { type PolicyProfile, type ProfileKey, profileKey } from './profile.js';

/** No profile is in force for a region on a date. */
export class ProfileNotFoundError extends Error {
  readonly code = 'POLICY.NO_PROFILE';
}

function specificity(profileRegion: string): number {
  return profileRegion === 'CN' ? 0 : profileRegion.length;
}

/** True when a profile's region covers an area code ('43' covers '430621101201'; 'CN' covers all). */
export function regionCovers(profileRegion: string, areaCode: string): boolean {
  return profileRegion === 'CN' || areaCode.startsWith(profileRegion);
}

/**
 * The profile in force for an area on a date: among profiles whose region covers `areaCode` and whose
 * `effectiveFrom` ≤ `at`, the most specific region wins (county over province over CN), then the latest
 * effective date, then the highest version. Call it once when a case opens and store `profileKey`;
 * later steps use `findProfile` so the case keeps its version.
 */
export function selectProfile(profiles: readonly PolicyProfile[], areaCode: string, at: IsoDate): PolicyProfile {
  if (!isIsoDate(at)) throw new RangeError(`selectProfile: not a date written YYYY-MM-DD: "${at}"`);
  const candidates = profiles
    .filter((p) => regionCovers(p.region, areaCode) && p.effectiveFrom <= at)
    .sort(
      (a, b) =>
        specificity(b.region) - specificity(a.region) ||
        b.effectiveFrom.localeCompare(a.effectiveFrom) ||
        b.version - a.version,
    );
  const best = candidates[0];
  if (!best) throw new ProfileNotFoundError(`no policy profile in force for area ${areaCode} on ${at}`);
  return best;
}

/** The profile a case was opened under, by its stored key. */
export function findProfile(profiles: readonly PolicyProfile[], key: ProfileKey | string): PolicyProfile | undefined {
  return profiles.find((p) => profileKey(p) === key);
}

/** A deployment named a profile that does not exist: startup refuses, listing the ones there are. */
export class ProfileChoiceError extends Error {
  readonly code = 'POLICY.UNKNOWN_PROFILE';
}

/** What a deployment may write to name a profile: `hunan-2022` (its newest version in force) or `hunan-2022@1`. */
export const PROFILE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*(@[1-9][0-9]*)?$/;

/**
 * Chooses the profile of each new case: by area code and date (`selectProfile`) unless the deployment names
 * one (`id` or `id@version`, from POLICY_PROFILE or the org file's `policyProfile`). A name matching no
 * profile throws `ProfileChoiceError` at once, so a typo stops startup instead of the first declaration.
 * @example profileChooser(profiles, 'national-2022')('430621101201', '2026-03-01').id === 'national-2022'
 */
export function profileChooser(profiles: readonly PolicyProfile[], name?: string): (areaCode: string, at: IsoDate) => PolicyProfile {
  if (name === undefined) return (areaCode, at) => selectProfile(profiles, areaCode, at);
  const [id, version] = name.split('@');
  const named = profiles.filter((p) => p.id === id && (version === undefined || p.version === Number(version)));
  if (!PROFILE_NAME.test(name) || named.length === 0) {
    const available = profiles.map((p) => `${profileKey(p)} (${p.name})`).join(', ');
    throw new ProfileChoiceError(`no policy profile "${name}"; write one of: ${available || '(none loaded)'}, or leave it unset to choose by area code`);
  }
  return (_areaCode, at) => {
    if (!isIsoDate(at)) throw new RangeError(`profileChooser: not a date written YYYY-MM-DD: "${at}"`);
    // By id alone: the newest version in force (the oldest when none is yet); by id@version: that one.
    const inForce = named.filter((p) => p.effectiveFrom <= at).sort((a, b) => b.version - a.version);
    return inForce[0] ?? [...named].sort((a, b) => a.version - b.version)[0]!;
  };
}
