import { describe, expect, it } from 'vitest';
import { loadResources, LOCALES } from '../../src/i18n/i18n.js';

/** Every text of one locale as `namespace:dotted.key` → text. */
function flatten(tree: Record<string, unknown>, prefix: string, out: Map<string, string>): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    const key = `${prefix}${k}`;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v as Record<string, unknown>, `${key}.`, out);
  }
  return out;
}

const variables = (text: string | undefined) => [...(text ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();

/** i18next plural forms (`head_one`, `head_other`): one text per plural category of the locale's language. */
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Texts by key without plural suffix: `staff:todo.head` → its forms (a text with no plural has one form). */
function byBaseKey(texts: Map<string, string>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [key, text] of texts) {
    const base = key.replace(PLURAL_SUFFIX, '');
    const forms = out.get(base) ?? new Map<string, string>();
    forms.set(PLURAL_SUFFIX.exec(key)?.[1] ?? '', text);
    out.set(base, forms);
  }
  return out;
}

describe('templates', () => {
  const resources = loadResources();
  const byLocale = Object.fromEntries(
    LOCALES.map((l) => [l, Object.entries(resources[l]).reduce((m, [ns, tree]) => flatten(tree, `${ns}:`, m), new Map<string, string>())]),
  );

  it('has every text in every locale, with the same variables (zh-CN is the reference)', () => {
    const reference = byBaseKey(byLocale['zh-CN']!);
    for (const locale of LOCALES) {
      const texts = byBaseKey(byLocale[locale]!);
      expect([...texts.keys()].sort(), `keys of ${locale}`).toEqual([...reference.keys()].sort());
      for (const [key, forms] of reference) {
        const expected = variables([...forms.values()][0]);
        for (const [form, text] of texts.get(key)!) expect(variables(text), `variables of ${locale} ${key}${form && `_${form}`}`).toEqual(expected);
      }
    }
  });

  it('gives a plural text every form its language needs', () => {
    for (const locale of LOCALES) {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const [key, forms] of byBaseKey(byLocale[locale]!)) {
        if (forms.has('')) {
          expect(forms.size, `${locale} ${key}: plain and plural forms mixed`).toBe(1);
          continue;
        }
        expect([...forms.keys()].sort(), `${locale} ${key}`).toEqual([...categories].sort());
      }
    }
  });

  it('has no blank text', () => {
    for (const locale of LOCALES) for (const [key, text] of byLocale[locale]!) expect(text.trim(), `${locale} ${key}`).not.toBe('');
  });
});
