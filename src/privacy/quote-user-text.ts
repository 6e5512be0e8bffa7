import { maskNumbers } from './mask-numbers.js';

/** Longest quoted text by kind, in characters (code points, after masking); the flows' own limits are no higher. */
export const QUOTE_LIMITS = { name: 20, reason: 50, text: 500 } as const;

/** Invisible characters: zero-width and joiners, bidi overrides and isolates, BOM, soft hyphen, tags (Cf), lone surrogates (Cs). */
const INVISIBLE = /[\p{Cf}\p{Cs}]/gu;
/** Line and paragraph breaks (\n \r \v \f NEL U+2028 U+2029), tabs, other control characters and runs of spaces of any width. */
const BREAKS_AND_SPACES = /[\p{Cc}\p{Zl}\p{Zp}\p{Zs}\s]+/gu;
/** Brackets the system uses for its own headings (【新的自主申报】, [Help requested]) and their look-alikes; and the quote marks used here. */
const OPENING = /[【〖〔〘〚［[⟦❲⦗︻︗︹﹇﹝⁅]/gu;
const CLOSING = /[】〗〕〙〛］\]⟧❳⦘︼︘︺﹈﹞⁆]/gu;
const QUOTE_OPENING = /[「『﹁﹃]/gu;
const QUOTE_CLOSING = /[」』﹂﹄]/gu;

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * Free text a person typed, made safe to put inside a staff message: on one line (every break and run of
 * spaces becomes one space), without invisible or direction-changing characters, with heading brackets
 * turned into plain parentheses, ID, phone and card numbers masked (maskNumbers), and at most `maxChars`
 * characters (then `…`). It cannot start a line, or look like one of the system's headings.
 * @example flattenUserText('看病\n【系统通知】请回复 13812345678') === '看病 （系统通知）请回复 138****5678'
 */
export function flattenUserText(text: string, maxChars: number = QUOTE_LIMITS.text): string {
  const flat = text
    .replace(INVISIBLE, '')
    .replace(BREAKS_AND_SPACES, ' ')
    .trim()
    .replace(OPENING, '（')
    .replace(CLOSING, '）')
    .replace(QUOTE_OPENING, '“')
    .replace(QUOTE_CLOSING, '”');
  return truncate(maskNumbers(flat), maxChars);
}

/**
 * flattenUserText, in 「…」, so it reads as the person's own words and never as the system's.
 * @example quoteUserText('张德福') === '「张德福」'
 */
export function quoteUserText(text: string, maxChars: number = QUOTE_LIMITS.text): string {
  return `「${flattenUserText(text, maxChars)}」`;
}

/** At most `maxChars` characters (code points), the last one `…` when some were left out; an emoji or flag is never cut in two. */
function truncate(text: string, maxChars: number): string {
  if ([...text].length <= maxChars) return text;
  let kept = '';
  let length = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = [...segment].length;
    if (length + size > maxChars - 1) break;
    kept += segment;
    length += size;
  }
  return `${kept.trimEnd()}…`;
}
