import { parseChecks, validateChecks } from '../../../runtime/synthetic/parse-checks';

describe('parseChecks', () => {
  it('accepts well-formed checks', () => {
    const checks = [
      { name: 'a', event: { rawPath: '/' }, expect: { statusCode: 200, bodyContains: ['x'] } },
      { name: 'b', event: null, expect: { bodyFields: { ok: true }, maxLatencyMs: 100 } },
    ];
    expect(parseChecks(JSON.stringify(checks), 'checks.json')).toEqual(checks);
  });

  it.each([
    ['not json', /^checks.json is not valid JSON/],
    ['{}', 'checks.json must be an array of synthetic checks, got object'],
    ['[]', 'checks.json is empty: at least one synthetic check is required'],
    ['[1]', 'checks.json[0] must be an object, got number'],
    ['[{"event":{},"expect":{}}]', 'checks.json[0].name must be a non-empty string'],
    ['[{"name":"a","expect":{}}]', 'checks.json[0].event is missing'],
    ['[{"name":"a","event":1}]', 'checks.json[0].expect must be an object, got undefined'],
    [
      '[{"name":"a","event":1,"expect":{"statusCode":"200"}}]',
      'checks.json[0].expect.statusCode must be an integer from 100 to 599',
    ],
    [
      '[{"name":"a","event":1,"expect":{"bodyContains":"x"}}]',
      'checks.json[0].expect.bodyContains must be an array of strings',
    ],
    [
      '[{"name":"a","event":1,"expect":{"bodyFields":[]}}]',
      'checks.json[0].expect.bodyFields must be an object',
    ],
    [
      '[{"name":"a","event":1,"expect":{"maxLatencyMs":0}}]',
      'checks.json[0].expect.maxLatencyMs must be a positive number',
    ],
    [
      '[{"name":"a","event":1,"expect":{}},{"name":"a","event":2,"expect":{}}]',
      'checks.json[1].name "a" is used by an earlier check',
    ],
  ])('rejects %s', (json, message) => {
    expect(() => parseChecks(json, 'checks.json')).toThrow(message);
  });

  it('names every problem at once, under the given source', () => {
    expect(() => validateChecks([{ name: '' }], 'checks')).toThrow(
      'checks[0].name must be a non-empty string; checks[0].event is missing; checks[0].expect must be an object, got undefined',
    );
  });
});
