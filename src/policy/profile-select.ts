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
