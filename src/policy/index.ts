// Policy profiles and the official working-day calendar: pure data and arithmetic, no I/O beyond the loaders.
export * from './dates.js';
export * from './calendar.js';
export * from './calendar-schema.js';
export * from './calendar-loader.js';
export * from './code-lists.js';
export * from './income-window.js';
export * from './profile.js';
export * from './profile-select.js';
export * from './profile-loader.js';
export * from './profile-warnings.js';
export * from './limits.js';
export * from './key-groups.js';
export { PolicyFileError, CONFIG_DIR } from './policy-file.js';
