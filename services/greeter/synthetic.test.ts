import { inProcessInvoker } from '../../runtime/synthetic/in-process-invoker';
import { runChecks } from '../../runtime/synthetic/run-checks';
import { handler } from './handler';
import { checks } from './synthetic';

// The handler logs with Powertools straight to stdout/stderr; keep the test output readable.
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

describe('greeter synthetic checks', () => {
  it('all pass in-process against the real handler', async () => {
    const results = await runChecks(checks, inProcessInvoker(handler), {
      perCheckTimeoutMs: 5_000,
    });
    expect(results).toHaveLength(checks.length);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  it('all fail against a handler that answers 200 with an empty object', async () => {
    const broken = async () => ({ statusCode: 200, body: '{}' });
    const results = await runChecks(checks, inProcessInvoker(broken), { perCheckTimeoutMs: 5_000 });
    expect(results.map((r) => r.passed)).toEqual(checks.map(() => false));
  });

  it('all fail against a handler that throws', async () => {
    const broken = async (): Promise<never> => {
      throw new Error('deploy went wrong');
    };
    const results = await runChecks(checks, inProcessInvoker(broken), { perCheckTimeoutMs: 5_000 });
    expect(results.every((r) => !r.passed && r.reason?.includes('deploy went wrong'))).toBe(true);
  });
});
