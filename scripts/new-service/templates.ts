/**
 * The files `npm run new-service` writes into `services/<name>/`. Each is written exactly as
 * Prettier (printWidth 100) would print it for any valid name (2 to 28 characters): objects that
 * hold the name are expanded, so no line's layout depends on the name's length.
 */

/** File name (relative to the service folder) to contents. Order is the order they are created. */
export function serviceFiles(name: string): ReadonlyArray<readonly [string, string]> {
  return [
    ['handler.ts', handlerTs(name)],
    ['service.ts', serviceTs(name)],
    ['synthetic.ts', syntheticTs(name)],
    ['handler.test.ts', handlerTestTs(name)],
  ];
}

const handlerTs = (name: string): string => `import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const logger = new Logger({ serviceName: '${name}' });

/**
 * Answers GET with \`{ "service": <name>, "status": "ok" }\`, and any other method with 405.
 * Scaffolded by \`npm run new-service\`: replace it with the service's real work, and keep
 * synthetic.ts and handler.test.ts in step with it.
 */
export const handler = async (
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const method = event.requestContext?.http?.method ?? 'GET';
  if (method !== 'GET') {
    logger.warn('method not allowed', { method });
    return json(405, { error: \`method \${method} is not allowed; use GET\` });
  }
  logger.info('request', { path: event.rawPath });
  return json(200, {
    service: '${name}',
    status: 'ok',
  });
};

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
`;

/** The definition `service.ts` exports, as data (the scaffold validates it before writing). */
export function serviceDefinition(name: string): Record<string, unknown> {
  return {
    name,
    description: 'Scaffolded service: say what it does',
    handler: 'handler.ts',
    memoryMb: 256,
    timeoutSeconds: 10,
    environment: {},
    alarms: {
      errorRatePercent: 1,
      minInvocationsPerMinute: 10,
      p99LatencyMs: 1000,
      maxThrottles: 1,
    },
    canary: { baselineErrorRatePercent: 0.1, onQuiet: 'generate-traffic' },
  };
}

/** Comments written above a field of the definition, and after its last field. */
const SERVICE_COMMENTS: Record<string, readonly string[]> = {
  alarms: [
    'The release judge rolls a release back when its failed, slow (above p99LatencyMs) or',
    'throttled calls show errorRatePercent rather than a healthy rate; the fleet alarm (every',
    'version) also fires on minutes of minInvocationsPerMinute calls or more above it.',
  ],
  canary: [
    "A healthy version's error rate. A pass needs enough calls; without real traffic yet, the",
    'post-traffic hook makes the rest with the synthetic checks. Once callers exist, remove',
    'onQuiet so that a release whose traffic cannot be judged fails instead (the default).',
  ],
  '': [
    'lattice: true gives it a VPC Lattice front door (docs/configuration.md).',
    'Settings for one stage only, e.g. more memory in prod:',
    'stageOverrides: { prod: { memoryMb: 512 } },',
  ],
};

const serviceTs = (
  name: string,
): string => `import { defineService } from '../../lib/config/define';

/** ${name}: scaffolded by npm run new-service. Say here what it does. */
export const service = defineService(${literal(serviceDefinition(name), '', name, SERVICE_COMMENTS)});
`;

/** The checks `synthetic.ts` exports, as data (the scaffold validates them before writing). */
export function syntheticChecks(name: string): unknown[] {
  return [
    {
      name: 'answers GET with status ok',
      event: { rawPath: `/${name}`, requestContext: { http: { method: 'GET' } } },
      expect: { statusCode: 200, bodyFields: { status: 'ok' }, maxLatencyMs: 3000 },
    },
    {
      name: 'refuses other methods with 405',
      event: { rawPath: `/${name}`, requestContext: { http: { method: 'DELETE' } } },
      expect: { statusCode: 405, bodyContains: ['use GET'] },
    },
  ];
}

const syntheticTs = (
  name: string,
): string => `import type { SyntheticCheck } from '../../runtime/synthetic/types';

/** Synthetic tests: run by handler.test.ts, by both traffic hooks, and against dev. */
export const checks: readonly SyntheticCheck[] = ${literal(syntheticChecks(name), '', name)};
`;

const PRINT_WIDTH = 100;

/**
 * `value` as a TypeScript literal the way Prettier prints it: on one line when that fits in
 * PRINT_WIDTH, else one entry per line. An object or list that holds the service name is always
 * expanded, so that no line's layout depends on the name's length. `comments` go above the
 * top-level fields they name (`''`: after the last one), as `//` lines.
 */
function literal(
  value: unknown,
  indent: string,
  name: string,
  comments: Record<string, readonly string[]> = {},
  prefix = '',
): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value !== 'object' || value === null) return String(value);
  const inner = `${indent}  `;
  const entries: Array<[string | undefined, unknown]> = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  const item = ([key, v]: [string | undefined, unknown], at: string) =>
    `${key === undefined ? '' : `${key}: `}${literal(v, at, name, {}, key === undefined ? '' : `${key}: `)}`;
  const pad = Array.isArray(value) ? '' : ' ';
  const oneLine = `${open}${pad}${entries.map((e) => item(e, indent)).join(', ')}${pad}${close}`;
  const holdsName = JSON.stringify(value).includes(name);
  const hasComments = Object.keys(comments).length > 0;
  if (!holdsName && !hasComments && !oneLine.includes('\n')) {
    if (indent.length + prefix.length + oneLine.length + 1 <= PRINT_WIDTH) return oneLine;
  }
  const comment = (key: string) => (comments[key] ?? []).map((c) => `${inner}// ${c}\n`).join('');
  const lines = entries.map(
    (e) => `${e[0] === undefined ? '' : comment(e[0])}${inner}${item(e, inner)},\n`,
  );
  return `${open}\n${lines.join('')}${comment('')}${indent}${close}`;
}

/** The handler `handler.ts` holds. */
export function handlerSource(name: string): string {
  return handlerTs(name);
}

const handlerTestTs = (
  name: string,
): string => `import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { quietLogs, runInProcess } from '../../test/helpers/service-test';
import { handler } from './handler';
import { checks } from './synthetic';

quietLogs();

describe('${name} handler', () => {
  it('answers GET with 200 and its status', async () => {
    const event = {
      rawPath: '/${name}',
      requestContext: { http: { method: 'GET' } },
    } as unknown as APIGatewayProxyEventV2;
    const result = await handler(event);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({
      service: '${name}',
      status: 'ok',
    });
  });

  it('passes its synthetic checks in-process', async () => {
    const results = await runInProcess(checks, handler);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });
});
`;
