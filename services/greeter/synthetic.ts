import type { SyntheticCheck } from '../../runtime/synthetic/types';

/** Synthetic tests for greeter: run in jest, by both traffic hooks, and against dev. */
export const checks: readonly SyntheticCheck[] = [
  {
    name: 'greets by name',
    event: { rawPath: '/hello', queryStringParameters: { name: 'canary' } },
    expect: { statusCode: 200, bodyFields: { message: 'Hello, canary!' }, maxLatencyMs: 3000 },
  },
  {
    name: 'greets the world by default',
    event: { rawPath: '/hello' },
    expect: { statusCode: 200, bodyContains: ['Hello, world!'], maxLatencyMs: 3000 },
  },
  {
    name: 'rejects an over-long name',
    event: { rawPath: '/hello', queryStringParameters: { name: 'x'.repeat(65) } },
    expect: { statusCode: 400, bodyContains: ['at most 64'] },
  },
];
