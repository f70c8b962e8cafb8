// Flat config: recommended JS + TypeScript rules for the frontend sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['lib/', 'node_modules/', 'qrt_lab/labextension/', 'ui-tests/', '.venv/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: 'error',
      curly: 'error',
      // JupyterLab's convention: wire types grouped in a namespace next to their token
      '@typescript-eslint/no-namespace': 'off'
    }
  }
);
