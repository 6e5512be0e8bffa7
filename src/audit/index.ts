// Append-only audit trail chained by keyed hashes: the key, the pure chain (canonical JSON, MACs, verification) and its store.
export * from './audit-key.js';
export * from './canonical-json.js';
export * from './hash-chain.js';
export * from './audit-log.js';
