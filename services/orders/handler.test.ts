import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { quietLogs, runInProcess } from '../../test/helpers/service-test';
import { handler, ORDER_ID_PATTERN, type LatticeRequestV2 } from './handler';
import { checks } from './synthetic';

quietLogs();

/** An API Gateway v2 event as far as the handler reads it. */
function request(orderId?: string, method = 'GET'): APIGatewayProxyEventV2 {
  return {
    rawPath: `/orders/${orderId ?? ''}`,
    pathParameters: orderId === undefined ? undefined : { orderId },
    requestContext: { http: { method } },
  } as unknown as APIGatewayProxyEventV2;
}

/** A request as the service's VPC Lattice front door sends it (event structure version 2). */
function latticeRequest(path: string, method = 'GET'): LatticeRequestV2 {
  return { version: '2.0', method, path };
}

async function call(event: APIGatewayProxyEventV2 | LatticeRequestV2) {
  const result = await handler(event);
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') };
}

describe('orders handler', () => {
  it('answers 200 with the order for a known id', async () => {
    expect(await call(request('ord-0001'))).toEqual({
      status: 200,
      body: { orderId: 'ord-0001', status: 'SHIPPED', items: 2, totalCents: 4598, currency: 'EUR' },
    });
  });

  it('answers 404 for a well-formed id it does not know', async () => {
    expect(await call(request('ord-123456789012'))).toEqual({
      status: 404,
      body: { error: 'order ord-123456789012 not found' },
    });
  });

  it.each(['12345', 'ord-123', 'ord-1234567890123', 'ORD-0001', 'ord-00a1', ' ord-0001'])(
    'answers 400 for the malformed id %j and says what a valid one looks like',
    async (orderId) => {
      expect(await call(request(orderId))).toEqual({
        status: 400,
        body: { error: 'orderId must be "ord-" followed by 4 to 12 digits, e.g. "ord-0001"' },
      });
    },
  );

  it('answers 400 when the path has no orderId', async () => {
    for (const event of [request(), request('')]) {
      expect(await call(event)).toEqual({
        status: 400,
        body: { error: 'orderId is missing: call GET /orders/{orderId}' },
      });
    }
  });

  it('answers 405 with an Allow header for anything but GET', async () => {
    const result = await handler(request('ord-0001', 'DELETE'));
    expect(result.statusCode).toBe(405);
    expect(result.headers).toMatchObject({ allow: 'GET' });
  });

  it('never answers 5xx, whatever the orderId', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (orderId) => {
        const { status } = await call(request(orderId));
        expect([200, 400, 404]).toContain(status);
        expect(status === 400).toBe(!ORDER_ID_PATTERN.test(orderId));
      }),
      { numRuns: 200 },
    );
  });
});

describe('orders through its VPC Lattice front door', () => {
  it('reads the order id from the path Lattice sends', async () => {
    expect((await call(latticeRequest('/orders/ord-0001'))).status).toBe(200);
    expect((await call(latticeRequest('/orders/ord-9999'))).status).toBe(404);
    expect(await call(latticeRequest('/orders/12345'))).toEqual({
      status: 400,
      body: { error: 'orderId must be "ord-" followed by 4 to 12 digits, e.g. "ord-0001"' },
    });
  });

  it('answers in the shape a Lattice Lambda target must: status, headers, body, isBase64Encoded', async () => {
    const result = await handler(latticeRequest('/orders/ord-0001'));
    expect(Object.keys(result).sort()).toEqual([
      'body',
      'headers',
      'isBase64Encoded',
      'statusCode',
    ]);
    expect(result.isBase64Encoded).toBe(false);
    expect(result.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('answers 400 without an id and 405 for anything but GET', async () => {
    expect((await call(latticeRequest('/orders/'))).status).toBe(400);
    expect((await call(latticeRequest('/elsewhere'))).status).toBe(400);
    expect((await call(latticeRequest('/orders/ord-0001', 'POST'))).status).toBe(405);
  });
});

describe('orders synthetic checks', () => {
  it('all pass in-process against the real handler', async () => {
    const results = await runInProcess(checks, handler);
    expect(results.filter((r) => !r.passed)).toEqual([]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 404, 400]);
  });

  it('all fail against a handler that answers 200 with an empty object', async () => {
    const broken = async () => ({ statusCode: 200, body: '{}' });
    const results = await runInProcess(checks, broken);
    expect(results.map((r) => r.passed)).toEqual(checks.map(() => false));
  });
});
