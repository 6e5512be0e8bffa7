import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** `key in object` is true for inherited names: a typed "constructor" would find Object.prototype.constructor. */
const noDynamicIn = {
  selector: "BinaryExpression[operator='in'][left.type!='Literal']",
  message: '`key in object` is true for inherited names ("constructor", "__proto__"): look words up in a Map, or guard with Object.hasOwn.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // Lookups keyed by what people type or send use Maps (or Object.hasOwn), never `in` on a plain object.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', noDynamicIn] },
  },
  {
    // The domain never imports a driver: outside systems are reached through ports in src/*/ports.
    files: ['src/**/*.ts'],
    ignores: ['src/stores/**', 'src/wecom/**', 'src/app.ts', 'src/server.ts', 'src/http/**', 'src/admin/**', 'src/simulator/**', 'src/**/*.bullmq.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['ioredis', 'mongodb', '@seald-io/nedb', 'axios', 'fastify', 'bullmq'].map((name) => ({
          name,
          message: 'Drivers stay behind the adapters in src/stores, src/wecom and *.bullmq.ts files.',
        })),
      }],
    },
  },
  {
    // The flow engine and the procedure are pure: no files, network, clock or stores (the flow loader is the one exception).
    files: ['src/engine/**/*.ts', 'src/procedure/**/*.ts'],
    ignores: ['src/engine/flow-loader.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['ioredis', 'mongodb', '@seald-io/nedb', 'axios', 'fastify', 'pino', 'i18next'].map((name) => ({ name, message: 'The engine and the procedure are pure.' })),
        patterns: [
          { group: ['node:*', 'fs', 'net', 'http', 'https', 'child_process'], message: 'The engine and the procedure do no I/O; the caller passes what they need.' },
          { group: ['**/stores/**', '**/wecom/**', '**/shared/clock*', '**/conversation/**', '**/cases/**'], message: 'The engine and the procedure are pure: the caller applies their events.' },
        ],
      }],
      'no-restricted-syntax': ['error',
        noDynamicIn,
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time is passed in as `now`; never read the clock here.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time is passed in as `now`; never read the clock here.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Pure code takes no randomness; the caller passes ids.' },
      ],
    },
  },
  {
    files: ['scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
