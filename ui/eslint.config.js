import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // bindings.ts is generated from the Rust types (`cargo xtask bindings`) and never edited by hand
  { ignores: ['dist', 'node_modules', 'coverage', 'src/lib/backend/bindings.ts'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.browser },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Node-only code: the configs, the dev-server bridge, the test harness (bridge, fake remotes)
    files: ['*.config.{js,ts}', 'bridge-*.ts', 'src/test/**', 'src/**/*.node.test.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
