// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const noCdkInRuntime = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'],
          message:
            'Runtime code (Lambda handlers, hooks, synthetic checks) must not import infrastructure libraries: they are not in the Lambda bundle.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'cdk.out/**',
      'coverage/**',
      '.bench/**',
      '.cache/**',
      '**/*.js',
      '**/*.d.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: [
      'runtime/**/*.ts',
      'services/*/handler.ts',
      'services/*/synthetic.ts',
      'services/*/lib/**/*.ts',
    ],
    rules: noCdkInRuntime,
  },
);
