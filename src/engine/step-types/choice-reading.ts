import { normaliseWord, toHalfWidth } from '../normalise.js';
import type { Vars } from '../events.js';
import { parseInteger } from './common.js';

/**
 * Reading which option(s) a person means, as an elderly villager types it: "2", "第二个", "最后一个", "二组"
 * for 2组, "1和3", "一、三", a label or part of one, or a sentence naming an option through its keywords
 * ("老伴生病住院了" → 因病). Anything unsure is asked again, naming the closest options: a wrong option is
 * never picked silently.
 */

/** An option as the readers see it: `text` is its label in the person's locale, `keywords` words that name it. */
export interface ReadableOption {
  id: string;
  text?: string;
  keywords?: readonly string[];
}

/** What one reading found. `free`: found in a sentence (keywords, a label inside other words), so said back. */
export type Reading<O> =
  | { ok: true; options: O[]; free: boolean }
  | { ok: false; reason: string; vars: Vars };

const ENGLISH_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9], ['ten', 10],
  ['first', 1], ['second', 2], ['third', 3], ['fourth', 4], ['fifth', 5], ['sixth', 6], ['seventh', 7], ['eighth', 8], ['ninth', 9], ['tenth', 10],
]);

/** "3" or "three" as a number; undefined for anything else. */
function englishNumber(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  return /^\d+$/u.test(word) ? Number(word) : ENGLISH_NUMBERS.get(word);
}

/** Half-width, lower-case, without spaces or punctuation, Chinese numerals as digits: "第二组。" → "第2组". */
export function canon(s: string): string {
  return normaliseWord(s.normalize('NFKC')).replace(/[零一二两三四五六七八九十百]+/gu, (run) => {
    const n = parseInteger(run);
    return n === undefined ? run : String(n);
  });
}

/** The label without its explanation in brackets: "因病（生病、医疗花费大）" → "因病". */
function core(text: string): string {
  return text.replace(/[（(][^）)]*[）)]/gu, '');
}

/** The position a token names: "2", "二", "two", "the second one", "第二个", "2号", "头一个", "最后一个", "倒数第二". */
export function ordinalOf(token: string, count: number): number | undefined {
  const t = canon(token)
    .replace(/^(?:我选|选择|选|就选|要|是)/u, '')
    .replace(/(?:吧|啊|呀|的|吗)+$/u, '')
    .replace(/^(?:number|no|option|#)(?=\d)/, '');
  if (/^\d+$/.test(t)) return Number(t);
  // "the second one", "I choose three", "number 2", "no. 2" (spaces and dots are gone by now).
  const bare = t.replace(/^(?:i(?:choose|pick|take|want|mean)|choose|pick|take|itis|its|the)+/u, '').replace(/(?<=.)(?:one|please)$/u, '');
  const english = englishNumber(bare) ?? englishNumber(/^(?:number|no|option)(.+)$/u.exec(bare)?.[1]);
  if (english !== undefined) return english;
  const ordinal = /^第(\d+)(?:个|项|条|种|号)?$/u.exec(t) ?? /^(\d+)(?:个|项|条|号)$/u.exec(t);
  if (ordinal) return Number(ordinal[1]);
  if (/^头(?:1个|个|1项)$/u.test(t)) return 1;
  if (/^最后(?:1个|1项|那个|那项|个)?$/u.test(t)) return count;
  const fromEnd = /^倒数第(\d+)(?:个|项)?$/u.exec(t);
  if (fromEnd) return count - Number(fromEnd[1]) + 1;
  return undefined;
}

/** Where `word` occurs in `text` not right after a negation ("没有生病" does not name 因病; "没钱" itself may be a keyword). */
function mentions(text: string, word: string): boolean {
  if (word === '') return false;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text.slice(Math.max(0, at - 2), at);
    if (/^[没不无未]/u.test(word) || !/(?:没有|没|不|无|未)$/u.test(before)) return true;
  }
  return false;
}

/**
 * The option one token names exactly: its number, id, label (Chinese numerals equal digits: "2组" is "二组"),
 * or a part of exactly one label. Several → ambiguous; none → undefined.
 */
export function referTo<O extends ReadableOption>(
  token: string,
  options: readonly O[],
): { option: O; partial?: true } | { among: O[] } | { outOfRange: true } | undefined {
  const t = canon(token);
  if (t === '') return undefined;
  const exact = options.filter((o) => o.id.toLowerCase() === t || (o.text !== undefined && (canon(o.text) === t || canon(core(o.text)) === t)));
  if (exact.length === 1) return { option: exact[0]! };
  // "第二组" for the option 二组, "group 2" for 2组: the label, not the second position (groups may skip a number).
  const group = englishNumber(/^group(.+)$/u.exec(t)?.[1]);
  const label = group !== undefined ? `${group}组` : t.startsWith('第') ? t.slice(1) : undefined;
  const asLabel = label !== undefined ? options.filter((o) => o.text !== undefined && canon(o.text) === label) : [];
  if (group !== undefined && asLabel.length !== 1) return undefined;
  if (asLabel.length === 1) return { option: asLabel[0]! };
  const n = ordinalOf(token, options.length);
  if (n !== undefined) {
    const option = options[n - 1];
    if (!option) return { outOfRange: true };
    // "2" where another option is called 2组: which one is meant is not clear.
    const named = /^\d+$/.test(t) ? options.filter((o) => o !== option && o.text !== undefined && new RegExp(`^${t}\\D`, 'u').test(canon(o.text))) : [];
    return named.length ? { among: [option, ...named] } : { option };
  }
  if (exact.length > 1) return { among: exact };
  const partial = options.filter((o) => o.text !== undefined && canon(o.text).includes(t));
  if (partial.length === 1) return { option: partial[0]!, partial: true };
  if (partial.length > 1) return { among: partial };
  return undefined;
}

/** Options a free sentence names: a keyword or the label's core inside it ("我是青山镇的", "老伴生病住院了"). */
export function namedIn<O extends ReadableOption>(text: string, options: readonly O[]): O[] {
  const t = canon(text);
  return options.filter((o) => {
    // A label's core counts from two characters on ("组" alone is in every group's label); keywords as written ("穷").
    const words = [...(o.keywords ?? []).map(canon), ...(o.text !== undefined ? [canon(core(o.text))].filter((w) => w.length >= 2) : [])];
    return words.some((w) => mentions(t, w));
  });
}

/** How much a text resembles an option: shared pairs of characters with its label and keywords, then shared characters. */
function likeness(text: string, o: ReadableOption): number {
  const t = canon(text);
  const words = [...(o.keywords ?? []), o.text ?? ''].map(canon).join('|');
  // Latin text: whole words only (pairs of letters like "pe" or "le" are in every English label).
  if (!/\p{Script=Han}/u.test(t)) {
    const typed = toHalfWidth(text).toLowerCase().split(/[^a-z]+/u).filter((w) => w.length >= 4);
    return typed.filter((w) => words.includes(w)).length * 2;
  }
  let score = 0;
  for (let i = 0; i + 2 <= t.length; i++) if (words.includes(t.slice(i, i + 2))) score += 2;
  for (const ch of new Set(t)) if (/\p{Script=Han}/u.test(ch) && !'因的了是有在我家'.includes(ch) && words.includes(ch)) score += 1;
  return score;
}

/** "1. 因病（生病、医疗花费大） / 3. 因残（家里有残疾人）": options with their numbers, for a re-ask. */
export function listed<O extends ReadableOption>(some: readonly O[], all: readonly O[]): string {
  return some.map((o) => `${all.indexOf(o) + 1}. ${o.text ?? o.id}`).join(' / ');
}

/** The refusal when nothing was found: the (up to) two closest options by likeness, or a plain "not found". */
export function notFound<O extends ReadableOption>(text: string, options: readonly O[]): { ok: false; reason: string; vars: Vars } {
  const answer = [...toHalfWidth(text)].slice(0, 40).join('');
  const ranked = options.map((o) => ({ o, score: likeness(text, o) })).filter((r) => r.score > 0).sort((a, b) => b.score - a.score);
  const closest = ranked.slice(0, 2).map((r) => r.o);
  if (closest.length === 0) return { ok: false, reason: 'engine:invalid.choice.noMatch', vars: { answer } };
  return { ok: false, reason: 'engine:invalid.choice.closest', vars: { answer, candidates: listed(closest, options) } };
}

/** The refusal when a token fits several options: it names them (up to three). */
export function ambiguous<O extends ReadableOption>(text: string, among: readonly O[], options: readonly O[]): { ok: false; reason: string; vars: Vars } {
  const answer = [...toHalfWidth(text)].slice(0, 40).join('');
  if (among.length > 3) return { ok: false, reason: 'engine:invalid.choice.ambiguous', vars: { answer } };
  return { ok: false, reason: 'engine:invalid.choice.ambiguousAmong', vars: { answer, candidates: listed(among, options) } };
}

/** "1,3" "1、3" "1和3" "一、三" "收入低 房子是危房": the parts of a list of choices. */
export function listParts(text: string): string[] {
  return toHalfWidth(text.normalize('NFKC'))
    .split(/[,，、;；/+&\s]+|和|与|跟|及|以及|还有|还是|加上|and/u)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** One option from a typed reply: a reference first, then a sentence naming exactly one option. */
export function readOne<O extends ReadableOption>(text: string, options: readonly O[]): Reading<O> {
  if (canon(text) === '') return { ok: false, reason: 'engine:invalid.text.empty', vars: {} };
  const ref = referTo(text, options);
  if (ref && 'option' in ref) return { ok: true, options: [ref.option], free: ref.partial === true };
  if (ref && 'outOfRange' in ref) return { ok: false, reason: 'engine:invalid.choice.outOfRange', vars: { max: options.length } };
  if (ref) return ambiguous(text, ref.among, options);
  const named = namedIn(text, options);
  if (named.length === 1) return { ok: true, options: named, free: true };
  if (named.length > 1) return ambiguous(text, named, options);
  return notFound(text, options);
}

/** Several options from a typed reply: each part a reference, or sentences naming options through keywords. */
export function readMany<O extends ReadableOption>(text: string, options: readonly O[]): Reading<O> {
  if (canon(text) === '') return { ok: false, reason: 'engine:invalid.text.empty', vars: {} };
  const whole = referTo(text, options);
  if (whole && 'option' in whole && !/^\d+$/.test(canon(text))) return { ok: true, options: [whole.option], free: whole.partial === true };
  const chosen = new Set<O>();
  const unsure: { part: string; among: O[] }[] = [];
  const unknown: string[] = [];
  let free = false;
  for (const part of listParts(text)) {
    const ref = referTo(part, options);
    if (ref && 'option' in ref) {
      chosen.add(ref.option);
      if (ref.partial) free = true;
    } else if (ref && 'outOfRange' in ref) return { ok: false, reason: 'engine:invalid.choice.outOfRange', vars: { max: options.length } };
    else {
      // A part of a sentence: the options it names through keywords; narrative without any ("花了好多钱") adds none.
      const named = namedIn(part, options);
      named.forEach((o) => chosen.add(o));
      if (named.length) free = true;
      else if (ref) unsure.push({ part, among: ref.among });
      else unknown.push(part);
    }
  }
  if (chosen.size === 0) {
    const named = namedIn(text, options);
    if (named.length) return { ok: true, options: named, free: true };
    const first = unsure[0];
    return first ? ambiguous(first.part, first.among, options) : notFound(text, options);
  }
  // A list of numbers and labels ("1,失业") with a part that fits nothing, or fits several: that part is asked about.
  if (!free && unsure[0]) return ambiguous(unsure[0].part, unsure[0].among, options);
  if (!free && unknown[0] !== undefined) return notFound(unknown[0], options);
  // In a sentence, parts naming nothing are narrative; what was taken is said back.
  return { ok: true, options: options.filter((o) => chosen.has(o)), free };
}
