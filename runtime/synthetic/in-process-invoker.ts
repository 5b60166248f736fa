import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { raceAbort } from './abort';
import type { InvokeOutcome, Invoker } from './types';

/** A Lambda handler as services export it; only the promise (or value) style is supported. */
export type InProcessHandler<E> = (event: E, context: Context) => unknown;

export interface InProcessInvokerOptions {
  /** Name reported by the fake context. @default 'in-process' */
  readonly functionName?: string;
  /** What `context.getRemainingTimeInMillis()` counts down from. @default 30000 */
  readonly timeoutMs?: number;
}

/**
 * An {@link Invoker} that calls a handler function directly, in this process, with a minimal
 * fake Lambda context. A thrown error (or rejected promise) becomes what Lambda would report:
 * `functionError: 'Unhandled'` with an `{ errorType, errorMessage }` payload. When the signal
 * aborts, the invoker rejects at once; the handler itself cannot be stopped.
 *
 * @param handler the service's exported `handler`
 */
export function inProcessInvoker<E>(
  handler: InProcessHandler<E>,
  options: InProcessInvokerOptions = {},
): Invoker {
  const functionName = options.functionName ?? 'in-process';
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (event: unknown, signal: AbortSignal): Promise<InvokeOutcome> => {
    const context = fakeContext(functionName, Date.now() + timeoutMs);
    const invocation = (async (): Promise<InvokeOutcome> => {
      try {
        // Checks are plain data; the handler's event type is the service's own promise.
        return { payload: await handler(event as E, context) };
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        return {
          payload: { errorType: err.name, errorMessage: err.message },
          functionError: 'Unhandled',
        };
      }
    })();
    return raceAbort(invocation, signal);
  };
}

function fakeContext(functionName: string, deadline: number): Context {
  const unsupported = (): never => {
    throw new Error('callback-style context methods are not supported in-process');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'in-process',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
