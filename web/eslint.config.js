// Lint for web/: ESLint's recommended rules plus the house layout (standard's: no semicolons,
// two spaces, single quotes, a space before function parens). Types are tsc's job (tsconfig.json).
import js from '@eslint/js'
import stylistic from '@stylistic/eslint-plugin'
import globals from 'globals'

export default [
  { ignores: ['dist/', 'node_modules/', 'static/'] },
  js.configs.recommended,
  stylistic.configs.customize({ indent: 2, quotes: 'single', semi: false, commaDangle: 'never', braceStyle: '1tbs' }),
  {
    files: ['src/**/*.js'],
    languageOptions: { globals: globals.browser }
  },
  {
    files: ['*.js', '*.mjs'],
    languageOptions: { globals: globals.node }
  },
  {
    rules: {
      '@stylistic/space-before-function-paren': ['error', 'always'],
      // the code's own habits, as in standard: `(x) =>`, quotes only where a key needs them,
      // short one-line blocks, and argument lists broken wherever reads best
      '@stylistic/arrow-parens': ['error', 'always'],
      '@stylistic/quote-props': ['error', 'as-needed'],
      '@stylistic/max-statements-per-line': 'off',
      '@stylistic/list-style': 'off',
      '@stylistic/comma-style': ['error', 'last'],
      '@stylistic/multiline-ternary': ['error', 'always-multiline']
    }
  }
]
