import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // The domain never imports a driver: outside systems are reached through ports in src/*/ports.
    files: ['src/**/*.ts'],
    ignores: ['src/stores/**', 'src/wecom/**', 'src/app.ts', 'src/server.ts', 'src/http/**', 'src/simulator/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['ioredis', 'mongodb', '@seald-io/nedb', 'axios', 'fastify'].map((name) => ({
          name,
          message: 'Drivers stay behind the adapters in src/stores and src/wecom.',
        })),
      }],
    },
  },
  {
    files: ['scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
