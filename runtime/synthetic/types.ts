/**
 * Synthetic tests are data: a named event to send to a service and what its response must
 * satisfy. One definition serves four uses: the in-process jest test, the pre-traffic hook
 * (invokes the new version), the post-traffic hook (invokes the `live` alias) and the smoke
 * test that runs against the dev stage in the pipeline.
 *
 * Checks ship as JSON in the hook's bundle (`checks.json` beside the handler) and the post-traffic
 * hook may send them through VPC Lattice, so they must be plain JSON data.
 */
export interface SyntheticCheck {
  /** Unique, human-readable name, printed in logs and tables. */
  readonly name: string;
  /** The event the service is invoked with (for HTTP-style services, an API Gateway v2 event). */
  readonly event: unknown;
  /** What the response must satisfy. A function error or a 5xx status always fails. */
  readonly expect: SyntheticExpectation;
}

export interface SyntheticExpectation {
  /** Exact HTTP status code the response must carry. @default any status below 500 */
  readonly statusCode?: number;
  /** Fields of the JSON body that must equal these values (deep equality). @default none */
  readonly bodyFields?: Readonly<Record<string, unknown>>;
  /** Substrings the raw body must contain. @default none */
  readonly bodyContains?: readonly string[];
  /** Upper bound on the round-trip latency of the invocation, in milliseconds. @default none */
  readonly maxLatencyMs?: number;
}

/** The outcome of one invocation, as seen by the runner. */
export interface InvokeOutcome {
  /** The decoded response payload (for HTTP-style services `{ statusCode, body, headers }`). */
  readonly payload: unknown;
  /** Set when the function itself failed (Lambda's `FunctionError`). */
  readonly functionError?: string;
}

/** Sends one event to the target; must honour `signal` and reject when it aborts. */
export type Invoker = (event: unknown, signal: AbortSignal) => Promise<InvokeOutcome>;

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly latencyMs: number;
  readonly statusCode?: number;
  /** Why the check failed; absent when it passed. */
  readonly reason?: string;
}
