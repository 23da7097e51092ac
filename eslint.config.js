// Lint rules. The ones that matter most keep workflow code deterministic: workflow files run in Temporal's
// sandbox and are replayed, so they may not touch Node built-ins, I/O, or activity implementations.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http',
  'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url',
  'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly',
      clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly',
      AbortController: 'readonly', fetch: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
      structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code is replayed: no Node built-ins.' })),
        patterns: [
          { group: ['node:*'], message: 'Workflow code is replayed: no Node built-ins.' },
          { group: ['**/activities', '**/activities/**'], allowTypeImports: true,
            message: 'Workflows import activities as types only (import type); call them through proxyActivities.' },
          { group: ['got', 'fastify', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
            message: 'Workflow code may not do I/O or use non-workflow Temporal packages.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'Workflow code is replayed: read configuration in activities.' },
        { name: 'require', message: 'Use ES imports.' },
        { name: 'fetch', message: 'Workflow code may not do I/O: use an activity.' },
        { name: 'setImmediate', message: 'Use sleep() or condition() from @temporalio/workflow.' },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', '@temporalio/*', 'got', 'fastify', 'pino'],
            message: 'The domain module is pure: no I/O, no Temporal, so workflows and activities can share it.' },
        ],
      }],
    },
  },
);
