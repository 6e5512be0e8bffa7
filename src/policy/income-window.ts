import { z } from 'zod';

/**
 * Which months a household's income is counted over when it is judged (收入测算周期, brief §5.4).
 * The income year starts in `yearStartsInMonth`; the months from its start to the current month are
 * counted, and with `projectToFullYear` projected to the twelve months of that income year.
 * @example { "yearStartsInMonth": 12, "projectToFullYear": true }   // Xuwen 2021: December to now, projected to a year
 */
export const incomeWindowSchema = z
  .object({
    yearStartsInMonth: z.number().int().min(1).max(12),
    projectToFullYear: z.boolean(),
  })
  .strict();

export type IncomeWindowRule = z.infer<typeof incomeWindowSchema>;

/**
 * The months counted for a judgement made in `month` ('YYYY-MM'), inclusive, and the months they are
 * projected to. Without a rule the calendar year is taken ("当年人均纯收入", seed003), counted so far and
 * projected to December.
 * Example: Xuwen, May 2021 → counted 2020-12…2021-05, projected 2020-12…2021-11 (seed001 四（四）).
 */
export function incomeWindowFor(rule: IncomeWindowRule | undefined, month: string): { from: string; to: string; projectedTo?: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`not a month written YYYY-MM: "${month}"`);
  const { yearStartsInMonth: start, projectToFullYear } = rule ?? { yearStartsInMonth: 1, projectToFullYear: true };
  const index = Number(m[1]) * 12 + Number(m[2]) - 1;
  const startIndex = index - ((Number(m[2]) - start + 12) % 12);
  const at = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
  return { from: at(startIndex), to: month, ...(projectToFullYear ? { projectedTo: at(startIndex + 11) } : {}) };
}
