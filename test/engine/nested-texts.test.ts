import { describe, expect, it } from 'vitest';
import { renderOutbound } from '../../src/conversation/render.js';
import { loadFlows } from '../../src/engine/flow-loader.js';
import { step } from '../../src/engine/run.js';
import { AREA_OPTION_SOURCES } from '../../src/conversation/area-options.js';
import { CHECK_OPTION_SOURCES } from '../../src/checks/check-options.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { FLOWS_DIR } from '../../src/shared/paths.js';
import type { EngineState } from '../../src/engine/state.js';

/**
 * Texts that nest the question ("第10步/共12步：$t(…)") must show the question whatever the household typed:
 * i18next stops nesting when a value brings its own "$t(…)", so what is shown back of their words never does.
 */
const texts = createTexts();
const declaration = loadFlows(FLOWS_DIR, { locales: LOCALES, hasKey: (l, k) => texts.has(l, k), optionSources: [...AREA_OPTION_SOURCES, ...CHECK_OPTION_SOURCES] }).get('declaration')!;
const NOW = new Date('2026-11-22T08:00:00Z');

describe('a gathered description holding "$t(…)"', () => {
  it('is shown as typed (with ＄), and the numbered question around it still reads as the question', () => {
    const at: EngineState = {
      v: 1, flowId: 'declaration', flowVersion: declaration.version, stepId: 'ask_description', answers: {}, history: [], failures: 0,
      startedAt: NOW.toISOString(), updatedAt: NOW.toISOString(),
    };
    const typed = step(declaration, at, { type: 'message', text: '老伴$t(declaration:intro)生病' }, NOW);
    const again = step(declaration, typed.state!, { type: 'repeat' }, NOW);
    const shown = again.events.flatMap((e) => (e.type === 'message' ? [renderOutbound(texts, 'zh-CN', e.outbound)] : []));
    const text = shown.map((m) => (m.type === 'card' ? '' : m.text)).join('\n');
    expect(text).toContain('第10步/共12步：请用自己的话说说家里的困难');
    expect(text).toContain('老伴＄t(declaration:intro)生病');
    expect(text).not.toContain('$t(');
  });
});
