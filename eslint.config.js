import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Dependencies flow one way (renderer → contract ← main → db); these rules keep each process in its room.
const boundary = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

// The one write path (db/sync/write.ts): the tables that sync (db/sync/entities.ts), the change log and this
// device's sequence are written there only, so no write can skip its change-log row. Kysely calls and SQL text
// naming one of them are refused everywhere else.
const syncedTables = 'areas|users|clients|client_contacts|leads|events|event_owners|attachments|jobs|pipeline_stages|candidates|candidate_documents|applications|placements|change_log|sync_clock';
const writeMessage = 'Synced tables are written only through db/sync (createRecord, updateRecord, deleteRecord, restoreRecord, or a repository function built on them), which logs the change in the same transaction.';
// SQL keywords in upper or lower case, table names as the schema spells them (so English text such as
// "Update Clients to the latest version" is not taken for SQL).
const sqlWrite = `\\b(INSERT(\\s+OR\\s+\\w+)?\\s+INTO|insert(\\s+or\\s+\\w+)?\\s+into|REPLACE\\s+INTO|replace\\s+into|UPDATE|update|DELETE\\s+FROM|delete\\s+from)\\s+"?(${syncedTables})\\b`;
const writeSelectors = [
  { selector: `CallExpression[callee.property.name=/^(insertInto|replaceInto|updateTable|deleteFrom|mergeInto)$/] > Literal[value=/^(${syncedTables})(\\s+as\\s+\\w+)?$/]`, message: writeMessage },
  { selector: `TemplateElement[value.raw=/${sqlWrite}/]`, message: writeMessage },
  { selector: `Literal[value=/${sqlWrite}/]`, message: writeMessage },
];
const onePath = { 'no-restricted-syntax': ['error', ...writeSelectors] };

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'test-results', 'playwright-report', '.tmp', 'server-data'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    // Tests build their fixtures directly; migrations and the demo-data generator are the schema's own bulk writers.
    ignores: ['db/sync/**', 'db/repositories/changeLog.ts', 'db/migrations/**', 'db/seed/**', 'tests/**'],
    rules: onePath,
  },
  {
    files: ['contract/**/*.ts'],
    rules: boundary([
      { group: ['**/db/**', '**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'kysely', 'better-sqlite3'], message: 'contract/ holds pure schemas and rules: zod, libphonenumber-js and tldts (the Public Suffix List) only.' },
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
      // (with the one write path's selectors: a file's rule list replaces, never adds to, an earlier one)
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/^electron(\\/|$)/]', message: 'Electron lives in main/electron/ only.' }, ...writeSelectors],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: boundary([{ group: ['**/renderer', '**/renderer/**', '**/preload', '**/preload/**'], message: 'main/ may not import the renderer or preload.' }]),
  },
  {
    files: ['server/**/*.ts'],
    rules: boundary([
      { group: ['**/db/**', '**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'better-sqlite3'], message: 'server/ may import the contract, pg, kysely and fastify only: it shares the protocol with the app, not its code.' },
    ]),
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
