import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { MongoDocumentStore } from '../../src/stores/document-store.mongo.js';
import { documentStoreContract } from './document-store.contract.js';

const MONGODB_URL = process.env.MONGODB_URL;

const makeTempDir = () => mkdtemp(join(tmpdir(), 'fpfp-docs-'));

documentStoreContract('EmbeddedDocumentStore', async () => {
  const dir = await makeTempDir();
  const store = await EmbeddedDocumentStore.open({ dir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

interface Cursor {
  _id: string;
  cursor: string;
  updatedAt: string;
}

describe('EmbeddedDocumentStore on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps writes, deletes and unique indexes across close and reopen (the 微信客服 cursor survives a restart)', async () => {
    const first = await EmbeddedDocumentStore.open({ dir: join(dir, 'nested', 'data') });
    const cursors = first.collection<Cursor>('kf_cursors');
    await cursors.ensureIndex(['cursor'], { unique: true });
    await cursors.insert({ _id: 'wk-a', cursor: 'c1', updatedAt: '2024-05-01T00:00:00.000Z' });
    await cursors.insert({ _id: 'wk-b', cursor: 'c2', updatedAt: '2024-05-01T00:00:00.000Z' });
    await cursors.put({ _id: 'wk-a', cursor: '4gw7MepFLfgF2VC5npN', updatedAt: '2024-05-02T00:00:00.000Z' });
    await cursors.delete('wk-b');
    await first.close();

    const reopened = await EmbeddedDocumentStore.open({ dir: join(dir, 'nested', 'data') });
    try {
      const again = reopened.collection<Cursor>('kf_cursors');
      expect(await again.get('wk-a')).toEqual({ _id: 'wk-a', cursor: '4gw7MepFLfgF2VC5npN', updatedAt: '2024-05-02T00:00:00.000Z' });
      expect(await again.get('wk-b')).toBeNull();
      await expect(again.insert({ _id: 'wk-c', cursor: '4gw7MepFLfgF2VC5npN', updatedAt: '' })).rejects.toThrow('duplicate key');
    } finally {
      await reopened.close();
    }
    expect(await readdir(join(dir, 'nested', 'data'))).toEqual(['kf_cursors.db']);
  });

  it('rejects collection names that could escape the data directory', async () => {
    const store = await EmbeddedDocumentStore.open({ dir });
    try {
      for (const name of ['../cases', 'a/b', '', '1cases', 'cases.db', 'ca ses']) {
        expect(() => store.collection(name)).toThrow('invalid collection name');
      }
    } finally {
      await store.close();
    }
  });
});

if (MONGODB_URL) {
  documentStoreContract('MongoDocumentStore', async () => {
    const dbName = `fpfp_test_${randomUUID().slice(0, 8)}`;
    const store = await MongoDocumentStore.connect({ url: MONGODB_URL, dbName });
    return {
      store,
      cleanup: async () => {
        await store.close();
        // The store deliberately has no drop method; a separate client removes the test database.
        const admin = await MongoClient.connect(MONGODB_URL);
        await admin.db(dbName).dropDatabase();
        await admin.close();
      },
    };
  });
} else {
  // Printed so a CI log shows why the suite did not run, not just a skip count.
  console.warn('MongoDocumentStore contract skipped: MONGODB_URL is not set (no MongoDB server on this machine)');
  describe.skip('MongoDocumentStore — skipped: MONGODB_URL is not set (no MongoDB server on this machine)', () => {
    it('runs the DocumentStore contract against MongoDB', () => {});
  });
}
