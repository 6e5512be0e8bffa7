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

describe('templates', () => {
  const resources = loadResources();
  const byLocale = Object.fromEntries(
    LOCALES.map((l) => [l, Object.entries(resources[l]).reduce((m, [ns, tree]) => flatten(tree, `${ns}:`, m), new Map<string, string>())]),
  );

  it('has every text in every locale, with the same variables (zh-CN is the reference)', () => {
    const reference = byLocale['zh-CN']!;
    for (const locale of LOCALES) {
      const texts = byLocale[locale]!;
      expect([...texts.keys()].sort(), `keys of ${locale}`).toEqual([...reference.keys()].sort());
      for (const [key, text] of reference) expect(variables(texts.get(key)), `variables of ${locale} ${key}`).toEqual(variables(text));
    }
  });

  it('has no blank text', () => {
    for (const locale of LOCALES) for (const [key, text] of byLocale[locale]!) expect(text.trim(), `${locale} ${key}`).not.toBe('');
  });
});
