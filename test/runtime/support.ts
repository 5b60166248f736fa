import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';

/** A Lambda `Invoke` response payload, as the SDK would hand it back. */
export function lambdaPayload(value: unknown): InvokeCommandOutput['Payload'] {
  // The SDK wraps the bytes in a Uint8Array subclass; the code under test only reads the bytes.
  return new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];
}

/** An API-Gateway-v2-style handler result with a JSON body. */
export function apiResult(statusCode: number, body: unknown): Record<string, unknown> {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** One captured log call. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: Record<string, unknown>;
}

/** A logger that records every call, for asserting on structured log lines. */
export function recordingLogger(): {
  logger: Record<LogLine['level'], (message: string, extra: Record<string, unknown>) => void>;
  lines: LogLine[];
} {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, extra: Record<string, unknown>): void => {
      lines.push({ level, message, extra });
    };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** A promise that never settles unless `signal` aborts, then rejects like the SDK does. */
export function hangUntilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    signal?.addEventListener('abort', () =>
      reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
    );
  });
}
