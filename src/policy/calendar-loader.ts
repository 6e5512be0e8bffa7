import { join } from 'node:path';
import { WorkCalendar } from './calendar.js';
import { calendarYearSchema } from './calendar-schema.js';
import { CONFIG_DIR, loadPolicyDir, PolicyFileError } from './policy-file.js';

/** Where the shipped holiday data lives: one cn-YYYY.yaml per year. */
export const CALENDAR_DIR = join(CONFIG_DIR, 'calendar');

/**
 * Reads every `*.yaml` in `dir` as one year of the official calendar and builds a `WorkCalendar`.
 * Adding a year is adding a file. Errors name the file, the line and the field.
 */
export function loadWorkCalendar(dir: string = CALENDAR_DIR): WorkCalendar {
  const files = loadPolicyDir(dir, calendarYearSchema);
  for (const { file, data } of files) {
    const expected = `cn-${data.year}.yaml`;
    if (file !== expected) throw new PolicyFileError(`${join(dir, file)}: holds year ${data.year}; name it ${expected}`);
  }
  try {
    return new WorkCalendar(files.map((f) => f.data));
  } catch (err) {
    throw new PolicyFileError(`${dir}: ${(err as Error).message}`);
  }
}
