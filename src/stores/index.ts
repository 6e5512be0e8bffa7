import { EmbeddedDocumentStore } from './document-store.embedded.js';
import { MongoDocumentStore } from './document-store.mongo.js';
import type { DocumentStore } from './document-store.js';
import { MemoryStateStore } from './state-store.memory.js';
import { RedisStateStore } from './state-store.redis.js';
import type { StateStore } from './state-store.js';

export type { StateStore } from './state-store.js';
export { DuplicateKeyError } from './document-store.js';
export type { Collection, Doc, DocumentStore, Filter, FindOptions } from './document-store.js';

/** Redis when a URL is configured, else in-process (local mode: one instance, lost on restart). */
export function createStateStore(config: { redisUrl?: string; keyPrefix?: string }): {
  store: StateStore;
  kind: 'redis' | 'memory';
} {
  if (config.redisUrl) {
    return { store: new RedisStateStore({ url: config.redisUrl, keyPrefix: config.keyPrefix }), kind: 'redis' };
  }
  return { store: new MemoryStateStore(), kind: 'memory' };
}

/** MongoDB when a URL is configured, else nedb datafiles under `dataDir` (local mode, survives restarts). */
export async function createDocumentStore(config: { mongodbUrl?: string; dataDir: string }): Promise<{
  store: DocumentStore;
  kind: 'mongodb' | 'embedded';
}> {
  if (config.mongodbUrl) {
    return { store: await MongoDocumentStore.connect({ url: config.mongodbUrl }), kind: 'mongodb' };
  }
  return { store: await EmbeddedDocumentStore.open({ dir: config.dataDir }), kind: 'embedded' };
}
