import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsCall } from '../aws-calls';
import type { InvokeOutcome, Invoker } from './types';

/** The function version or alias the invoker was made for (`Invoke` is `lambda:InvokeFunction`). */
export const AWS_CALLS: readonly AwsCall[] = [
  { command: 'InvokeCommand', action: 'lambda:InvokeFunction', on: 'invoke-target' },
];

/**
 * An {@link Invoker} that calls a deployed Lambda function synchronously (`RequestResponse`).
 *
 * The event is sent as JSON; the signal is handed to the SDK (`abortSignal`) so a timed-out
 * check cancels its request. The response payload is decoded from JSON, and Lambda's
 * `FunctionError` (e.g. `Unhandled`) is reported as `functionError`.
 *
 * @param client a Lambda client, created once and shared
 * @param functionName a function name or ARN; a qualified ARN needs no `qualifier`
 * @param qualifier a version number or alias name, e.g. `"7"` or `"live"` @default unqualified
 */
export function lambdaInvoker(
  client: LambdaClient,
  functionName: string,
  qualifier?: string,
): Invoker {
  return async (event: unknown, signal: AbortSignal): Promise<InvokeOutcome> => {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        ...(qualifier !== undefined && { Qualifier: qualifier }),
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event ?? null)),
      }),
      { abortSignal: signal },
    );
    const payload = decodePayload(response.Payload);
    return response.FunctionError !== undefined
      ? { payload, functionError: response.FunctionError }
      : { payload };
  };
}

function decodePayload(bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined || bytes.length === 0) return undefined;
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`Lambda returned a payload that is not JSON: ${text.slice(0, 80)}`);
  }
}
