import type { Locale } from './i18n.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A date (YYYY-MM-DD) as people write it: 2026年12月7日 / 7 Dec 2026. */
export function formatDate(locale: Locale, iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return locale === 'en' ? `${d} ${MONTHS[m - 1]} ${y}` : `${y}年${m}月${d}日`;
}

/** China Standard Time is UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** An instant as a short time stamp in China: 11月22日 16:05 / 22 Nov 16:05. */
export function formatMonthDayTime(locale: Locale, instant: Date): string {
  const china = new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
  const [m, d] = [china.getUTCMonth() + 1, china.getUTCDate()];
  const time = `${String(china.getUTCHours()).padStart(2, '0')}:${String(china.getUTCMinutes()).padStart(2, '0')}`;
  return locale === 'en' ? `${d} ${MONTHS[m - 1]} ${time}` : `${m}月${d}日 ${time}`;
}

/** A month (YYYY-MM) as people write it: 2027年1月 / Jan 2027. */
export function formatMonth(locale: Locale, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return locale === 'en' ? `${MONTHS[m - 1]} ${y}` : `${y}年${m}月`;
}
