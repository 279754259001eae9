// ESLint (flat config): the language's and React's rules, and the project's module boundaries.
//
// Boundaries, as bulletproof-react draws them (docs/project-structure.md there):
// - a feature (`src/features/<name>`) never imports another feature: what two features share
//   lives in `components/` or `lib/`, or `app/` composes them;
// - code flows one way: shared code (`api/`, `components/`, `lib/`) → features → `app/`;
// - no import cycles anywhere (`import-x/no-cycle`).
//
// typescript-eslint needs TypeScript's compiler API, which TypeScript 7 does not ship: the package
// named `typescript` is the TypeScript 6 API (`@typescript/typescript6`, also what openapi-typescript
// uses), and the type checker, `tsc`, is TypeScript 7 (`@typescript/native`), side by side as the
// TypeScript team recommends until 7.1.

import { readdirSync } from 'node:fs';

import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const boundaries = [
  // Features never import each other.
  ...features.map((feature) => ({
    target: `./src/features/${feature}`,
    from: './src/features',
    except: [`./${feature}`],
    message: 'Features do not import each other: move the shared piece to components/ or lib/, or compose them in app/.',
  })),
  // app/ composes the features, not the other way round.
  {
    target: './src/features',
    from: './src/app',
    message: 'A feature does not import app/ (app/ composes the features).',
  },
  // Shared code knows neither the features nor the app.
  {
    target: ['./src/api', './src/components', './src/lib'],
    from: ['./src/features', './src/app'],
    message: 'Shared code (api/, components/, lib/) does not import features/ or app/.',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'e2e/artifacts/', 'src/api/schema.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}', 'vite.config.ts'],
    extends: [importX.flatConfigs.recommended, importX.flatConfigs.typescript],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // i18next's default export is an instance whose methods are also named exports: both are fine.
      'import-x/no-named-as-default-member': 'off',
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Build scripts and the end-to-end tests run in Node; the service worker in its own scope.
    files: ['scripts/**/*.mjs', 'e2e/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['sw/**/*.js'],
    languageOptions: { globals: { ...globals.serviceworker, __PRECACHE__: 'readonly' } },
  },
);
