import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../src/i18n/i18n.js';
import { formatFlowError } from '../../src/engine/flow-error.js';
import { FlowLoadError, loadFlowFile, loadFlows } from '../../src/engine/flow-loader.js';

const dir = fileURLToPath(new URL('../fixtures/engine/broken/', import.meta.url));
/** Every text exists except keys named `untranslated` (missing in en) and `common:gone` (missing everywhere). */
const hasKey = (locale: Locale, key: string) => key !== 'common:gone' && !(locale === 'en' && key.endsWith(':untranslated'));
const opts = { root: dir, locales: LOCALES, hasKey, optionSources: ['townships'] };

describe('broken flows', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

  it.each(files)('%s is refused with its expected message', (file) => {
    const expectedFile = `${dir}${file.replace(/\.yaml$/, '.expected.txt')}`;
    const result = loadFlowFile(`${dir}${file}`, opts);
    expect(result.ok).toBe(false);
    const actual = result.ok ? '' : `${result.errors.map(formatFlowError).join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, actual);
    expect(existsSync(expectedFile), `missing ${expectedFile}`).toBe(true);
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
  });

  it('loadFlows refuses to load a directory with any broken flow and lists every error', () => {
    expect(() => loadFlows(dir, opts)).toThrow(FlowLoadError);
    try {
      loadFlows(dir, opts);
    } catch (e) {
      expect((e as FlowLoadError).errors.length).toBeGreaterThanOrEqual(files.length);
      expect((e as Error).message).toContain('unknown-next.yaml: flow "unknown-next" › step "ask_phone" › next: unknown step "x"');
    }
  });
});
