import { latticeInvoker, latticeRegion } from '../../../runtime/synthetic/lattice-invoker';
import { networkFailure } from '../../../runtime/synthetic/environment-error';
import {
  TEST_CREDENTIALS,
  expectedSignature,
  parseAuthorization,
  startLatticeFake,
  type Answer,
  type ReceivedRequest,
} from '../lattice-server';

let fake: Awaited<ReturnType<typeof startLatticeFake>>;
let answer: (r: ReceivedRequest) => Answer;
beforeEach(async () => {
  answer = () => ({ status: 200, body: 'ok' });
  fake = await startLatticeFake((r) => answer(r));
});
afterEach(async () => fake.close());

const invoker = (url = fake.url) =>
  latticeInvoker({ url, region: 'eu-west-1', credentials: TEST_CREDENTIALS });
const signal = () => new AbortController().signal;

describe('latticeInvoker', () => {
  it('sends an API Gateway v2 event as the HTTP request it describes, SigV4-signed for vpc-lattice-svcs', async () => {
    answer = () => ({
      status: 201,
      headers: { 'content-type': 'application/json', 'x-order': '42' },
      body: JSON.stringify({ id: 42 }),
    });
    const event = {
      requestContext: { http: { method: 'POST' } },
      rawPath: '/orders/new item',
      queryStringParameters: { dry: 'no way', tag: "it's*(ok)!" },
      headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' },
      body: '{"sku":"A-1"}',
    };

    const outcome = await invoker()(event, signal());

    expect(outcome).toEqual({
      payload: {
        statusCode: 201,
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-order': '42' }),
        body: '{"id":42}',
      },
    });
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/orders/new%20item',
      query: { dry: 'no way', tag: "it's*(ok)!" },
      body: '{"sku":"A-1"}',
    });
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-trace': 'abc',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-security-token': 'session-token',
      'x-amz-date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
    });
    const auth = parseAuthorization(request.headers.authorization);
    expect(auth).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      region: 'eu-west-1',
      service: 'vpc-lattice-svcs',
      date: request.headers['x-amz-date'].slice(0, 8),
    });
    expect(auth.signedHeaders).toEqual(
      expect.arrayContaining([
        'host',
        'content-type',
        'x-trace',
        'x-amz-content-sha256',
        'x-amz-date',
        'x-amz-security-token',
      ]),
    );
    // What arrived is exactly what was signed: host, path, query and headers unchanged.
    expect(auth.signature).toBe(await expectedSignature(request, 'eu-west-1'));
  });

  it('defaults to GET / without a body, and appends rawPath to the path of the URL', async () => {
    await invoker()({}, signal());
    await invoker(`${fake.url}/api/`)({ rawPath: '/health' }, signal());
    expect(fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', '/', ''],
      ['GET', '/api/health', ''],
    ]);
    expect(await expectedSignature(fake.requests[1], 'eu-west-1')).toBe(
      parseAuthorization(fake.requests[1].headers.authorization).signature,
    );
  });

  it('decodes a base64 body, and keeps the host, authorization and length for itself', async () => {
    await invoker()(
      {
        requestContext: { http: { method: 'put' } },
        headers: { Host: 'elsewhere.example', Authorization: 'Bearer x', 'Content-Length': '1' },
        body: Buffer.from('binary body').toString('base64'),
        isBase64Encoded: true,
      },
      signal(),
    );
    const [request] = fake.requests;
    expect(request.method).toBe('PUT');
    expect(request.body).toBe('binary body');
    expect(request.headers.host).toBe(new URL(fake.url).host);
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(request.headers['content-length']).toBe('11');
  });

  it('does not follow redirects: the check judges the redirect itself', async () => {
    answer = () => ({ status: 302, headers: { location: '/elsewhere' } });
    const outcome = await invoker()({}, signal());
    expect(outcome.payload).toMatchObject({ statusCode: 302, body: '' });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [{ body: 'x' }, 'event.body is set, but a GET request cannot carry a body'],
    [{ rawPath: 'orders' }, 'event.rawPath must be a string that starts with "/"'],
    [{ headers: { 'x-n': 1 } }, 'event.headers must be an object of strings'],
    [{ queryStringParameters: ['a'] }, 'event.queryStringParameters must be an object of strings'],
    [{ requestContext: { http: { method: 'GET /' } } }, 'event.requestContext.http.method must be'],
  ])('rejects an event it cannot send (%j), sending nothing', async (event, message) => {
    await expect(invoker()(event, signal())).rejects.toThrow(message);
    expect(fake.requests).toHaveLength(0);
  });

  it('stops at once when the signal aborts', async () => {
    answer = () => 'hang';
    const controller = new AbortController();
    const pending = invoker()({}, controller.signal);
    setTimeout(() => controller.abort(new Error('check timed out')), 50);
    const started = Date.now();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('names the request and the network error when the service cannot be reached', async () => {
    const url = fake.url;
    await fake.close();
    const error = await invoker(url)({ rawPath: '/x' }, signal()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      new RegExp(`^GET ${url}/x failed: Error: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`),
    );
    expect(networkFailure(error)).toEqual({ code: 'ECONNREFUSED', hostname: '127.0.0.1' });
    fake = await startLatticeFake(); // for afterEach
  });

  it('signs for the region in a generated Lattice domain, and refuses a URL without one', () => {
    expect(
      latticeRegion('https://orders-0a1b.7d67968.vpc-lattice-svcs.ap-southeast-2.on.aws'),
    ).toBe('ap-southeast-2');
    expect(latticeRegion('https://orders.example.com')).toBeUndefined();
    expect(latticeRegion('not a url')).toBeUndefined();
    expect(() => latticeInvoker({ url: 'https://orders.example.com' })).toThrow(
      'cannot tell the region of https://orders.example.com: it is not a generated Lattice domain name; pass the region',
    );
  });
});
