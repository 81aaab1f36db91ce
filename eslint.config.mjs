// eslint.config.mjs: the lint rules for the dashboard's modules (browser) and the browser tests (Node), run by `make lint-js`
import js from '@eslint/js';
import globals from 'globals';

export default [
	{ ignores: ['static/vendor/**', 'node_modules/**', 'build/**', 'var/**'] },
	js.configs.recommended,
	{
		files: ['static/**/*.js'],
		languageOptions: {
			ecmaVersion: 2022,
			sourceType: 'module',
			globals: { ...globals.browser },
		},
	},
	{
		files: ['tests/**/*.mjs', 'eslint.config.mjs'],
		languageOptions: {
			ecmaVersion: 2022,
			sourceType: 'module',
			globals: { ...globals.node, ...globals.browser },
		},
	},
	{
		rules: {
			'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'none' }],
			eqeqeq: ['error', 'smart'],
			'no-var': 'error',
			'prefer-const': 'error',
			'no-shadow': 'error',
			'no-implicit-globals': 'error',
		},
	},
];
