import type { SyntheticCheck } from '../../runtime/synthetic/types';

const get = (orderId: string) => ({
  rawPath: `/orders/${orderId}`,
  pathParameters: { orderId },
  requestContext: { http: { method: 'GET' } },
});

/** Synthetic tests for orders: run in jest, by both traffic hooks, and against dev. */
export const checks: readonly SyntheticCheck[] = [
  {
    name: 'reads the demo order',
    event: get('ord-0001'),
    expect: {
      statusCode: 200,
      bodyFields: { orderId: 'ord-0001', status: 'SHIPPED' },
      maxLatencyMs: 3000,
    },
  },
  {
    name: 'answers 404 for an unknown order',
    event: get('ord-9999'),
    expect: { statusCode: 404, bodyContains: ['not found'] },
  },
  {
    name: 'answers 400 for a malformed order id',
    event: get('12345'),
    expect: { statusCode: 400, bodyContains: ['followed by 4 to 12 digits'] },
  },
];
