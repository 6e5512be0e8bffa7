import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore } from '../../src/stores/state-store.js';

export type MakeStateStore = () => Promise<{ store: StateStore; cleanup: () => Promise<void> }>;

/** Short real TTLs: these check behaviour (it expires), not timing precision. */
const SHORT_TTL_MS = 150;
const PAST_SHORT_TTL_MS = 300;

/** Behaviour every StateStore adapter must show; each test gets a fresh store. */
export function stateStoreContract(name: string, make: MakeStateStore): void {
  describe(name, () => {
    let store: StateStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('round-trips a value with get/set and overwrites it', async () => {
      expect(await store.get('conv:a')).toBeNull();
      await store.set('conv:a', '{"v":1}');
      expect(await store.get('conv:a')).toBe('{"v":1}');
      await store.set('conv:a', '{"v":2}');
      expect(await store.get('conv:a')).toBe('{"v":2}');
    });

    it('round-trips Chinese text', async () => {
      const text = '您好，请问是否需要防止返贫帮扶？🙂';
      await store.set('conv:zh', text, 60_000);
      expect(await store.get('conv:zh')).toBe(text);
    });

    it('expires a value set with a TTL', async () => {
      await store.set('short', 'x', SHORT_TTL_MS);
      await store.set('long', 'y', 60_000);
      expect(await store.get('short')).toBe('x');
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store.get('short')).toBeNull();
      expect(await store.get('long')).toBe('y');
    });

    it('setIfAbsent succeeds once, then fails, then succeeds again after expiry', async () => {
      expect(await store.setIfAbsent('dedupe:1', 'first', SHORT_TTL_MS)).toBe(true);
      expect(await store.setIfAbsent('dedupe:1', 'second', SHORT_TTL_MS)).toBe(false);
      expect(await store.get('dedupe:1')).toBe('first');
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store.setIfAbsent('dedupe:1', 'third', 60_000)).toBe(true);
      expect(await store.get('dedupe:1')).toBe('third');
    });

    it('lets exactly one of 20 concurrent setIfAbsent calls win', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.setIfAbsent('lock:race', `owner-${i}`, 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get('lock:race')).toBe(`owner-${results.indexOf(true)}`);
    });

    it('deleteIfEquals deletes only while the value matches', async () => {
      await store.set('lock:a', 'owner-1', 60_000);
      expect(await store.deleteIfEquals('lock:a', 'owner-2')).toBe(false);
      expect(await store.get('lock:a')).toBe('owner-1');
      expect(await store.deleteIfEquals('lock:a', 'owner-1')).toBe(true);
      expect(await store.get('lock:a')).toBeNull();
      expect(await store.deleteIfEquals('lock:a', 'owner-1')).toBe(false);
    });

    it('extendIfEquals renews a lease only for its holder, so a live lease outlasts its first TTL', async () => {
      await store.set('lease:a', 'owner-1', SHORT_TTL_MS);
      expect(await store.extendIfEquals('lease:a', 'owner-2', 60_000)).toBe(false);
      expect(await store.extendIfEquals('lease:a', 'owner-1', 60_000)).toBe(true);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store.get('lease:a')).toBe('owner-1');
      expect(await store.extendIfEquals('lease:none', 'owner-1', 60_000)).toBe(false);
      expect(await store.get('lease:none')).toBeNull();
    });

    it('increment starts at 1 and applies the TTL only when it creates the key', async () => {
      expect(await store.increment('rate:a', 1_000)).toBe(1);
      const ttl = await store.ttl('rate:a');
      expect(ttl).not.toBeNull();
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1_000);
      expect(await store.increment('rate:a', 60_000)).toBe(2);
      expect(await store.ttl('rate:a')).toBeLessThanOrEqual(1_000);
      expect(await store.increment('counter:persistent')).toBe(1);
      expect(await store.ttl('counter:persistent')).toBeNull();
    });

    it('counts 50 concurrent increments exactly', async () => {
      await Promise.all(Array.from({ length: 50 }, () => store.increment('rate:burst', 60_000)));
      expect(await store.get('rate:burst')).toBe('50');
      expect(await store.increment('rate:burst')).toBe(51);
    });

    it('ttl is null for missing and persistent keys and in range for expiring ones', async () => {
      expect(await store.ttl('missing')).toBeNull();
      await store.set('persistent', 'p');
      expect(await store.ttl('persistent')).toBeNull();
      await store.set('expiring', 'e', 10_000);
      const ttl = await store.ttl('expiring');
      expect(ttl).toBeGreaterThan(9_000);
      expect(ttl).toBeLessThanOrEqual(10_000);
    });

    it('keys(prefix) lists only matching live keys', async () => {
      await store.set('conv:1000002:zhangsan', 'a', 60_000);
      await store.set('conv:1000002:lisi', 'b');
      await store.set('conv:1000002:gone', 'c', SHORT_TTL_MS);
      await store.set('conv:1000003:wangwu', 'd');
      await store.set('dedupe:conv:1000002:x', 'e');
      await sleep(PAST_SHORT_TTL_MS);
      expect((await store.keys('conv:1000002:')).sort()).toEqual(['conv:1000002:lisi', 'conv:1000002:zhangsan']);
      expect(await store.keys('nothing:')).toEqual([]);
    });

    it('treats glob characters in a keys() prefix literally', async () => {
      await store.set('odd*[1]?:a', '1');
      await store.set('odd-other', '2');
      expect(await store.keys('odd*[1]?:')).toEqual(['odd*[1]?:a']);
    });

    it('delete removes a key and ignores missing ones', async () => {
      await store.set('conv:b', 'x');
      await store.delete('conv:b');
      expect(await store.get('conv:b')).toBeNull();
      await expect(store.delete('conv:b')).resolves.toBeUndefined();
    });

    it('ping resolves', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
