import type { Context } from 'aws-lambda';
import { inProcessInvoker } from '../../../runtime/synthetic/in-process-invoker';
import { apiResult } from '../support';

const signal = (): AbortSignal => new AbortController().signal;

describe('inProcessInvoker', () => {
  it('calls the handler with the event and a Lambda-like context, returning its result', async () => {
    let seen: { event: unknown; context: Context } | undefined;
    const invoker = inProcessInvoker(
      async (event: { name: string }, context: Context) => {
        seen = { event, context };
        return apiResult(200, { hi: event.name });
      },
      { functionName: 'greeter', timeoutMs: 5_000 },
    );
    const outcome = await invoker({ name: 'Ada' }, signal());
    expect(outcome).toEqual({ payload: apiResult(200, { hi: 'Ada' }) });
    expect(seen?.event).toEqual({ name: 'Ada' });
    expect(seen?.context.functionName).toBe('greeter');
    expect(seen?.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    const remaining = seen?.context.getRemainingTimeInMillis() ?? 0;
    expect(remaining).toBeGreaterThan(4_000);
    expect(remaining).toBeLessThanOrEqual(5_000);
  });

  it('accepts a handler that returns synchronously', async () => {
    const outcome = await inProcessInvoker(() => apiResult(201, {}))({}, signal());
    expect(outcome.payload).toEqual(apiResult(201, {}));
  });

  it('turns a thrown error into an Unhandled function error, as Lambda reports it', async () => {
    const outcome = await inProcessInvoker(async () => {
      throw new TypeError('cannot read name');
    })({}, signal());
    expect(outcome).toEqual({
      functionError: 'Unhandled',
      payload: { errorType: 'TypeError', errorMessage: 'cannot read name' },
    });
  });

  it('rejects as soon as the signal aborts, even if the handler never finishes', async () => {
    const controller = new AbortController();
    const pending = inProcessInvoker(() => new Promise(() => undefined))({}, controller.signal);
    controller.abort(new Error('timed out'));
    await expect(pending).rejects.toThrow('timed out');
  });
});
