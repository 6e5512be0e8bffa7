// Append-only, hash-chained audit trail: the pure chain (canonical JSON, hashes, verification) and its store.
export * from './canonical-json.js';
export * from './hash-chain.js';
export * from './audit-log.js';
