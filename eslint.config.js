import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Dependencies flow one way (renderer → contract ← main → db); these rules keep each process in its room.
const boundary = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'test-results', 'playwright-report', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: boundary([
      { group: ['**/db/**', '**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'kysely', 'better-sqlite3'], message: 'contract/ holds pure schemas and rules: zod and libphonenumber-js only.' },
    ]),
  },
  {
    files: ['db/**/*.ts'],
    rules: boundary([
      { group: ['**/main', '**/main/**', '**/renderer', '**/renderer/**', '**/preload', '**/preload/**', 'electron', 'electron/**'], message: 'db/ may import kysely, better-sqlite3 and the contract\'s rules only.' },
    ]),
  },
  // Deny by default: nothing in main/ imports Electron (not even its types) except the adapters in
  // main/electron/, so handlers, transfers, the runtime and the browser shell stay plain Node.
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      ...boundary([
        { regex: '^electron(/.*)?$', message: 'Electron lives in main/electron/ only: everything else in main/ is plain Node.' },
        { group: ['**/main/electron', '**/main/electron/**', './electron/**', '../electron/**'], message: 'Only main/electron/ may use the Electron adapters.' },
        { group: ['**/renderer', '**/renderer/**', '**/preload', '**/preload/**'], message: 'main/ may not import the renderer or preload.' },
      ]),
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/^electron(\\/|$)/]', message: 'Electron lives in main/electron/ only.' }],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: boundary([{ group: ['**/renderer', '**/renderer/**', '**/preload', '**/preload/**'], message: 'main/ may not import the renderer or preload.' }]),
  },
  {
    files: ['preload/**/*.ts'],
    rules: boundary([{ group: ['**/db/**', '**/main/**', '**/renderer/**'], message: 'preload/ may import the contract and electron only.' }]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Loading data into state from an effect is the intended pattern here (answers arrive asynchronously).
      'react-hooks/set-state-in-effect': 'off',
      // TanStack Virtual returns fresh functions by design; the compiler hint is not actionable.
      'react-hooks/incompatible-library': 'off',
      ...boundary([{ group: ['**/db/**', '**/main/**', '**/preload/**', 'electron', 'node:*'], message: 'The renderer talks only to window.api and the contract.' }]),
    },
  },
);
