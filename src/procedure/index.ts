// The case procedure as data (moves.ts) plus pure decisions: no I/O, no clock; time is passed in.
export * from './stages.js';
export * from './case-snapshot.js';
export * from './actions.js';
export * from './refusals.js';
export * from './moves.js';
export * from './permissions.js';
export * from './deadlines.js';
export * from './elimination-guards.js';
export * from './transition-event.js';
export * from './decide.js';
export * from './open-case.js';
export * from './pending.js';
export * from './hand-over.js';
