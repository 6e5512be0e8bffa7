import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChatWorld, playScript, type ChatWorld } from '../helpers/chat-script.js';

const DIR = fileURLToPath(new URL('../fixtures/conversations/', import.meta.url));
const NEEDS_REDIS = new Set(['restart-mid-declaration.chat']);
const update = process.env.UPDATE_GOLDEN === '1';

/**
 * Each script is a whole conversation as the household sees it, replayed with a fixed clock and
 * sequential case numbers. `UPDATE_GOLDEN=1` rewrites the files (then read the diff before committing).
 */
describe('golden conversations', () => {
  let world: ChatWorld;
  beforeEach(async () => {
    world = await openChatWorld();
  });
  afterEach(async () => world.close());

  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.chat')).sort()) {
    const needsRedis = NEEDS_REDIS.has(name) && !process.env.REDIS_URL;
    if (needsRedis) console.error(`golden ${name} skipped: REDIS_URL is not set (a restart needs state in a real Redis)`);
    it.skipIf(needsRedis)(name.replace(/\.chat$/, '').replaceAll('-', ' '), async () => {
      const path = `${DIR}${name}`;
      const expected = readFileSync(path, 'utf8');
      const actual = await playScript(world, expected);
      if (update) writeFileSync(path, actual);
      else expect(actual).toBe(expected);
    });
  }
});
