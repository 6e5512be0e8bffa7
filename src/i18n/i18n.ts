import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { TEMPLATES_DIR } from '../shared/paths.js';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';


export type Resources = Record<Locale, Record<string, Record<string, unknown>>>;

/** Reads templates/<locale>/<namespace>.json for every locale. */
export function loadResources(dir = TEMPLATES_DIR): Resources {
  const resources = {} as Resources;
  for (const locale of LOCALES) {
    resources[locale] = {};
    for (const file of readdirSync(join(dir, locale)).filter((f) => f.endsWith('.json'))) {
      resources[locale][file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, locale, file), 'utf8')) as Record<string, unknown>;
    }
  }
  return resources;
}

/** Texts for users: `t('common:help.household')`. One instance per service, initialised synchronously. */
export interface Texts {
  t(locale: Locale, key: string, vars?: Record<string, string | number>): string;
  has(locale: Locale, key: string): boolean;
}

export function createTexts(resources: Resources = loadResources()): Texts {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    ns: Object.keys(resources[DEFAULT_LOCALE]),
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map<Locale, TFunction>(LOCALES.map((l) => [l, instance.getFixedT(l)]));
  return {
    t(locale, key, vars) {
      const t = fixed.get(locale) ?? fixed.get(DEFAULT_LOCALE)!;
      return t(key, vars ?? {});
    },
    has(locale, key) {
      return instance.exists(key, { lng: locale });
    },
  };
}
