import fc from 'fast-check';
import { deepEqual } from '../../../runtime/synthetic/evaluate';
import { evaluate } from '../../../runtime/synthetic/run-checks';
import type { SyntheticCheck, SyntheticExpectation } from '../../../runtime/synthetic/types';
import { apiResult } from '../support';

const check = (expect: SyntheticExpectation): SyntheticCheck => ({ name: 'c', event: {}, expect });

describe('evaluate', () => {
  it('passes when every expectation holds, and reports status and rounded latency', () => {
    const result = evaluate(
      check({
        statusCode: 200,
        bodyFields: { message: 'hi', nested: { list: [1, { a: true }] } },
        bodyContains: ['"hi"'],
        maxLatencyMs: 100,
      }),
      { payload: apiResult(200, { message: 'hi', nested: { list: [1, { a: true }] }, extra: 1 }) },
      41.6,
    );
    expect(result).toEqual({ name: 'c', passed: true, statusCode: 200, latencyMs: 42 });
  });

  it('fails a function error at once, naming the error type and message', () => {
    const result = evaluate(
      check({ statusCode: 200 }),
      { payload: { errorType: 'TypeError', errorMessage: 'boom' }, functionError: 'Unhandled' },
      5,
    );
    expect(result.passed).toBe(false);
    expect(result.reason).toBe('function error (Unhandled): TypeError: boom');
  });

  it('fails any 5xx status even without a status expectation', () => {
    const result = evaluate(check({}), { payload: apiResult(503, {}) }, 1);
    expect(result).toMatchObject({ passed: false, statusCode: 503 });
    expect(result.reason).toContain('status 503 is a server error');
  });

  it('passes any status below 500 when none is expected', () => {
    expect(evaluate(check({}), { payload: apiResult(404, {}) }, 1).passed).toBe(true);
  });

  it('fails a status mismatch', () => {
    const result = evaluate(check({ statusCode: 200 }), { payload: apiResult(400, {}) }, 1);
    expect(result.reason).toBe('expected status 200, got 400');
  });

  it('fails an expected status when the payload has none', () => {
    const result = evaluate(check({ statusCode: 200 }), { payload: { hello: 1 } }, 1);
    expect(result.reason).toBe('expected status 200, response has no statusCode');
  });

  it('fails a body field with a different value, and a missing one', () => {
    const result = evaluate(
      check({ bodyFields: { message: 'Hello, Ada!', id: 3 } }),
      { payload: apiResult(200, { message: 'Hello, Bob!' }) },
      1,
    );
    expect(result.passed).toBe(false);
    expect(result.reason).toBe(
      'body field "message": expected "Hello, Ada!", got "Hello, Bob!"; body field "id" is missing',
    );
  });

  it('compares body fields deeply, not by reference or loosely', () => {
    const payload = apiResult(200, { tags: ['a', 'b'], n: 1 });
    expect(evaluate(check({ bodyFields: { tags: ['a', 'b'] } }), { payload }, 1).passed).toBe(true);
    expect(evaluate(check({ bodyFields: { tags: ['b', 'a'] } }), { payload }, 1).passed).toBe(
      false,
    );
    expect(evaluate(check({ bodyFields: { n: '1' } }), { payload }, 1).passed).toBe(false);
  });

  it('fails body fields on an unparsable body', () => {
    const result = evaluate(
      check({ bodyFields: { message: 'x' } }),
      { payload: { statusCode: 200, body: '<html>oops</html>' } },
      1,
    );
    expect(result.reason).toBe('body is not JSON: <html>oops</html>');
  });

  it('fails body fields on a JSON body that is not an object', () => {
    const result = evaluate(
      check({ bodyFields: { message: 'x' } }),
      { payload: { statusCode: 200, body: '[1,2]' } },
      1,
    );
    expect(result.reason).toBe('body is not a JSON object: [1,2]');
  });

  it('fails body expectations when there is no body', () => {
    const result = evaluate(check({ bodyContains: ['x'] }), { payload: { statusCode: 204 } }, 1);
    expect(result.reason).toBe('response has no body');
  });

  it('checks substrings of the raw body, each one', () => {
    const payload = { statusCode: 200, body: 'plain text, not JSON' };
    expect(evaluate(check({ bodyContains: ['plain', 'not JSON'] }), { payload }, 1).passed).toBe(
      true,
    );
    expect(evaluate(check({ bodyContains: ['plain', 'missing'] }), { payload }, 1).reason).toBe(
      'body does not contain "missing"',
    );
  });

  it('decodes a base64-encoded body', () => {
    const payload = {
      statusCode: 200,
      isBase64Encoded: true,
      body: Buffer.from('{"ok":true}').toString('base64'),
    };
    expect(evaluate(check({ bodyFields: { ok: true } }), { payload }, 1).passed).toBe(true);
  });

  it('fails when latency exceeds the bound, and passes at the bound', () => {
    const payload = apiResult(200, {});
    expect(evaluate(check({ maxLatencyMs: 100 }), { payload }, 100).passed).toBe(true);
    expect(evaluate(check({ maxLatencyMs: 100 }), { payload }, 150).reason).toBe(
      'latency 150 ms exceeds 100 ms',
    );
  });

  it('lists every failed rule in one reason', () => {
    const result = evaluate(
      check({ statusCode: 200, bodyContains: ['yes'], maxLatencyMs: 10 }),
      { payload: apiResult(400, { no: true }) },
      20,
    );
    expect(result.reason).toBe(
      'expected status 200, got 400; body does not contain "yes"; latency 20 ms exceeds 10 ms',
    );
  });

  it('passes bodyFields taken from the body itself, for any JSON object body (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (body) => {
        const parsed = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
        return evaluate(check({ bodyFields: parsed }), { payload: apiResult(200, body) }, 1).passed;
      }),
    );
  });
});

describe('deepEqual', () => {
  it('holds between a JSON value and its copy (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) =>
        deepEqual(JSON.parse(JSON.stringify(value)), JSON.parse(JSON.stringify(value))),
      ),
    );
  });

  it('tells apart arrays from objects, extra keys and different lengths', () => {
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
  });
});
