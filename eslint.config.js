import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', '.tmp/', 'config/schema.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Sync code must never import gateway/, devices and cloud-sync stay below the core.
    },
  },
  {
    // The console's own scripts run in the browser.
    files: ['gateway/console/assets/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['devices/**', 'cloud-sync/**', 'config/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/gateway/**'], message: 'devices/, cloud-sync/ and config/ must not import gateway/ (DESIGN.md: dependencies point downward).' }, { group: ['**/simulators/**'], message: 'production code never imports simulators/.' }] }],
    },
  },
  {
    files: ['gateway/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/simulators/**'], message: 'production code never imports simulators/; the demo launcher is the only place that starts them.' }] }],
    },
  },
);
