import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/engine/flow-loader.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { FLOWS_DIR } from '../../src/shared/paths.js';

/**
 * A flow is named to people in its own words (answers lost with Redis, a 人工 request mid-flow, a resumed lead)
 * and, when its answers were lost, they are told how to get back into it. A new flow in flows/ fails here
 * until it has both, in every language: otherwise the person reads a raw key such as "flowName.check-pick".
 */
const texts = createTexts();
const flowIds = [...loadFlows(FLOWS_DIR, { locales: LOCALES, hasKey: (l, k) => texts.has(l, k) }).keys()];

describe('every flow has a name and a way back in', () => {
  it('finds the flows', () => {
    expect(flowIds.length).toBeGreaterThanOrEqual(20);
  });
  it.each(LOCALES)('in %s', (locale) => {
    for (const id of flowIds) {
      expect(texts.has(locale, `cases:flowName.${id}`), `cases:flowName.${id}`).toBe(true);
      expect(texts.has(locale, `cases:restartFlow.${id}`), `cases:restartFlow.${id}`).toBe(true);
    }
  });
});
