import { describe, expect, it } from 'vitest';
import { maskName } from '../../src/privacy/mask-name.js';

describe('maskName (cards show the head of household so)', () => {
  it.each([
    ['张德福', '张*福'],
    ['李四', '李*'],
    ['欧阳娜娜', '欧**娜'],
    ['王', '王'],
    [' 赵大山 ', '赵*山'],
    ['𠮷祥平', '𠮷*平'],
  ])('%s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
});
