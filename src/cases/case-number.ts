import { randomInt } from 'node:crypto';
import type { IsoDate } from '../policy/dates.js';

/** Makes case numbers: the day the lead was found, then 4 random digits, e.g. "20261122-0427". Short enough to read out on the phone. */
export type CaseNumberSource = (day: IsoDate) => string;

export const randomCaseNumber: CaseNumberSource = (day) => `${day.replaceAll('-', '')}-${String(randomInt(10_000)).padStart(4, '0')}`;

/** Deterministic numbers for tests: -0001, -0002, … */
export function sequentialCaseNumbers(): CaseNumberSource {
  let n = 0;
  return (day) => `${day.replaceAll('-', '')}-${String(++n).padStart(4, '0')}`;
}
