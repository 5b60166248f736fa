import fc from 'fast-check';
import { checkServiceName } from '../../../scripts/new-service';
import { ConfigError } from '../../../lib/config/config-error';
import { readAppInput } from '../../../lib/config/load';
import { SERVICE_NAME_MAX, serviceName } from '../../../lib/config/schema';
import { Strategy, strategyLabel } from '../../../lib/config/strategy';
import { validateApp, type AppInput } from '../../../lib/config/validate';
import { ROOT } from '../../helpers/project';

type Json = Record<string, unknown>;

/** The real project's configuration, read once; every case changes a deep copy of it. */
const real = readAppInput(ROOT);

function changed(change: (input: AppInput) => void): AppInput {
  const input = structuredClone(real);
  change(input);
  return input;
}

const config = (i: AppInput) => i.config.value as Json;
const source = (i: AppInput) => config(i).source as Json;
const stage = (i: AppInput, name: string) =>
  i.stages.find((s) => (s.value as Json).name === name)!.value as Json;
const service = (i: AppInput, name: string) =>
  i.services.find((s) => (s.definition.value as Json).name === name)!.definition.value as Json;

/** The message validateApp() fails with; fails the test when it succeeds or throws otherwise. */
function messageOf(input: AppInput): string {
  try {
    validateApp(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration validated');
}

const greeter = 'Service definition "greeter" (services/greeter/service.ts)';
const orders = 'Service definition "orders" (services/orders/service.ts)';
const dev = 'Stage entry "dev" (stages/dev.ts)';
const prod = 'Stage entry "prod" (stages/prod.ts)';
const pipeline = 'Pipeline configuration (pipeline.config.ts)';

const cases: ReadonlyArray<readonly [string, (i: AppInput) => void, string]> = [
  [
    'an unknown service in a stage',
    (i) => (stage(i, 'dev').services as unknown[]).push('payment'),
    `${dev}: services[2] is "payment", which is not a service. Known services: greeter, orders. Fix: correct the name, or create it with npm run new-service -- payment`,
  ],
  [
    'a misspelt service in a stage, with a suggestion',
    (i) => (stage(i, 'prod').services = ['greeter', 'ordres']),
    `${prod}: services[1] is "ordres", which is not a service. Known services: greeter, orders. Fix: did you mean "orders"? Correct the name, or create it with npm run new-service -- ordres`,
  ],
  [
    'a service listed twice in a stage',
    (i) => (stage(i, 'dev').services = ['greeter', 'orders', { name: 'greeter' }]),
    `${dev}: services[2] lists "greeter" a second time. Fix: list each service once per stage`,
  ],
  [
    'a service name that breaks the name rule in a stage',
    (i) => (stage(i, 'dev').services = ['Greeter']),
    `${dev}: services[0] is "Greeter": is not a valid service name. Fix: use lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen, e.g. "order-history"`,
  ],
  [
    'two stages with the same name',
    (i) => (stage(i, 'prod').name = 'dev'),
    'Stage entry "dev" (stages/prod.ts): the stage name "dev" is used by an earlier stage. Fix: give every stage a unique name',
  ],
  [
    'a service in an approval-gated stage that no earlier stage deploys',
    (i) => (stage(i, 'dev').services = ['greeter']),
    `${prod}: services[1] is "orders", which no earlier stage deploys, so it would reach "prod" untested. Fix: add "orders" to an earlier stage (e.g. "dev") too`,
  ],
  [
    'a missing handler file',
    (i) => (service(i, 'greeter').handler = 'main.ts'),
    `${greeter}: handler is "main.ts" but services/greeter/main.ts does not exist. Fix: create the file, or point handler at the file that exports \`handler\``,
  ],
  [
    'a service name that does not match its folder',
    (i) => (service(i, 'orders').name = 'order'),
    'Service definition "order" (services/orders/service.ts): name is "order" but the folder is services/orders/. Fix: make the name match the folder, or rename the folder',
  ],
  [
    'memory below the minimum',
    (i) => (service(i, 'greeter').memoryMb = 64),
    `${greeter}: memoryMb is 64: is below Lambda's minimum of 128 MB. Fix: use 128 to 10240`,
  ],
  [
    'memory above the maximum, in a stage override',
    (i) => (service(i, 'orders').stageOverrides = { prod: { memoryMb: 20480 } }),
    `${orders}: stageOverrides.prod.memoryMb is 20480: is above Lambda's maximum of 10240 MB. Fix: use 128 to 10240`,
  ],
  [
    'memory written as a string',
    (i) => (service(i, 'greeter').memoryMb = '256'),
    `${greeter}: memoryMb is "256": must be a number. Fix: write a number without quotes`,
  ],
  [
    'a timeout of 0',
    (i) => (service(i, 'greeter').timeoutSeconds = 0),
    `${greeter}: timeoutSeconds is 0: is below 1 second. Fix: use 1 to 60`,
  ],
  [
    'a timeout longer than the hooks allow',
    (i) => (service(i, 'orders').timeoutSeconds = 120),
    `${orders}: timeoutSeconds is 120: is above 60 seconds; synthetic checks must finish inside the traffic hook's budget. Fix: use 1 to 60, or move long work to an asynchronous worker`,
  ],
  [
    'an error threshold of 0',
    (i) => (service(i, 'greeter').alarms = { maxErrors: 0 }),
    `${greeter}: alarms.maxErrors is 0: is below 1; the alarm would fire with no errors. Fix: use 1 to 1000`,
  ],
  [
    'a p99 latency threshold below 10 ms',
    (i) => (service(i, 'greeter').alarms = { p99LatencyMs: 5 }),
    `${greeter}: alarms.p99LatencyMs is 5: is below 10 ms. Fix: use 10 ms or more, below the timeout`,
  ],
  [
    'a throttle threshold above 1000',
    (i) => (service(i, 'greeter').alarms = { maxThrottles: 5000 }),
    `${greeter}: alarms.maxThrottles is 5000: is above 1000. Fix: use 1 to 1000`,
  ],
  [
    'a p99 threshold not below the timeout',
    (i) =>
      Object.assign(service(i, 'greeter'), { timeoutSeconds: 1, alarms: { p99LatencyMs: 1500 } }),
    `${greeter}: alarms.p99LatencyMs is 1500 in stage "dev", not below timeoutSeconds (1 s), so the alarm could never fire before the function times out. Fix: use a p99 threshold below 1000 ms, or a longer timeout`,
  ],
  [
    'a p99 threshold not below the timeout in one stage override',
    (i) => (service(i, 'orders').stageOverrides = { prod: { alarms: { p99LatencyMs: 5000 } } }),
    `${orders}: stageOverrides.prod.alarms.p99LatencyMs is 5000 in stage "prod", not below timeoutSeconds (5 s), so the alarm could never fire before the function times out. Fix: use a p99 threshold below 5000 ms, or a longer timeout`,
  ],
  [
    'an unknown predefined deployment config',
    (i) => (stage(i, 'prod').strategy = { kind: 'predefined', name: 'CANARY_10PERCENT_20MINUTES' }),
    `${prod}: strategy.name is "CANARY_10PERCENT_20MINUTES": is not a predefined CodeDeploy Lambda config. Fix: use one of ALL_AT_ONCE, CANARY_10PERCENT_5MINUTES, CANARY_10PERCENT_10MINUTES, CANARY_10PERCENT_15MINUTES, CANARY_10PERCENT_30MINUTES, LINEAR_10PERCENT_EVERY_1MINUTE, LINEAR_10PERCENT_EVERY_2MINUTES, LINEAR_10PERCENT_EVERY_3MINUTES, LINEAR_10PERCENT_EVERY_10MINUTES, or Strategy.canary()/Strategy.linear() for a custom one`,
  ],
  [
    'a canary of 0% on one entry',
    (i) =>
      (stage(i, 'prod').services = [
        'greeter',
        { name: 'orders', strategy: Strategy.canary(0, 5) },
      ]),
    `${prod}: services[1].strategy.percentage is 0: is below 1. Fix: use a whole percentage from 1 to 99`,
  ],
  [
    'a canary of 100% on one entry',
    (i) =>
      (stage(i, 'prod').services = [
        'greeter',
        { name: 'orders', strategy: Strategy.canary(100, 5) },
      ]),
    `${prod}: services[1].strategy.percentage is 100: is above 99. Fix: use a whole percentage from 1 to 99, or ALL_AT_ONCE`,
  ],
  [
    'a linear shift every 0 minutes',
    (i) => (stage(i, 'prod').strategy = Strategy.linear(10, 0)),
    `${prod}: strategy.intervalMinutes is 0: is below 1 minute. Fix: use 1 to 2880 minutes`,
  ],
  [
    'an unknown predefined config on one entry (inside the entry union)',
    (i) =>
      (stage(i, 'prod').services = [
        'greeter',
        { name: 'orders', strategy: { kind: 'predefined', name: 'CANARY_99' } },
      ]),
    `${prod}: services[1].strategy.name is "CANARY_99": is not a predefined CodeDeploy Lambda config. Fix: use one of ALL_AT_ONCE, CANARY_10PERCENT_5MINUTES, CANARY_10PERCENT_10MINUTES, CANARY_10PERCENT_15MINUTES, CANARY_10PERCENT_30MINUTES, LINEAR_10PERCENT_EVERY_1MINUTE, LINEAR_10PERCENT_EVERY_2MINUTES, LINEAR_10PERCENT_EVERY_3MINUTES, LINEAR_10PERCENT_EVERY_10MINUTES, or Strategy.canary()/Strategy.linear() for a custom one`,
  ],
  [
    'an approval-gated stage deploying all at once without a reason',
    (i) => (stage(i, 'prod').strategy = Strategy.allAtOnce()),
    `${prod}: strategy is ALL_AT_ONCE in a stage that requires approval, so a bad release would reach all traffic at once. Fix: use a canary or linear strategy, or set allAtOnceReason to say why all-at-once is safe here`,
  ],
  [
    'one entry of an approval-gated stage deploying all at once without a reason',
    (i) =>
      (stage(i, 'prod').services = ['greeter', { name: 'orders', strategy: Strategy.allAtOnce() }]),
    `${prod}: services[1] ("orders"): strategy is ALL_AT_ONCE in a stage that requires approval. Fix: use a canary or linear strategy, or set allAtOnceReason on the entry`,
  ],
  [
    'a reason for all-at-once too short to explain anything',
    (i) =>
      (stage(i, 'prod').services = [
        'greeter',
        { name: 'orders', strategy: Strategy.allAtOnce(), allAtOnceReason: 'fine' },
      ]),
    `${prod}: services[1].allAtOnceReason is "fine": is too short to explain anything. Fix: give a reason of at least 20 characters that a reviewer can check`,
  ],
  [
    'a malformed account id',
    (i) => (config(i).pipeline = { account: '1234', region: 'us-east-1' }),
    `${pipeline}: pipeline.account is "1234": is not a 12-digit AWS account id. Fix: use the account id exactly as the console shows it, e.g. "123456789012"`,
  ],
  [
    'a malformed region',
    (i) => ((config(i).environments as Json).prod = { account: '333333333333', region: 'us-east' }),
    `${pipeline}: environments.prod.region is "us-east": is not an AWS region code. Fix: use a region code such as "us-east-1" or "eu-west-2"`,
  ],
  [
    'a malformed connection ARN',
    (i) => (source(i).connectionArn = 'arn:aws:codestar:us-east-1:111111111111:connection/abc'),
    `${pipeline}: source.connectionArn is "arn:aws:codestar:us-east-1:111111111111:connection/abc": is not a CodeConnections connection ARN. Fix: copy the ARN from Developer Tools > Settings > Connections, e.g. "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-...."`,
  ],
  [
    'a repository without its owner',
    (i) => (source(i).repository = 'lambda-services'),
    `${pipeline}: source.repository is "lambda-services": is not an "owner/repo" name. Fix: write the repository as "owner/repo", e.g. "my-org/my-services"`,
  ],
  [
    'a misspelt field in a service definition',
    (i) => (service(i, 'greeter').memroyMb = 512),
    `${greeter}: unknown field "memroyMb". Fix: did you mean "memoryMb"? Correct the spelling, or remove the field`,
  ],
  [
    'a misspelt field in a stage entry',
    (i) => (stage(i, 'prod').requiresAproval = true),
    `${prod}: unknown field "requiresAproval". Fix: did you mean "requiresApproval"? Correct the spelling, or remove the field`,
  ],
  [
    'an unknown field with no likely spelling, in the pipeline configuration',
    (i) => (source(i).owner = 'me'),
    `${pipeline}: source has unknown field "owner". Fix: remove it; the known fields are connectionArn, repository, branch`,
  ],
  [
    'stageOverrides naming a stage that does not exist',
    (i) => (service(i, 'orders').stageOverrides = { staging: { memoryMb: 512 } }),
    `${orders}: stageOverrides has "staging", which is not a stage. Fix: use one of "dev", "prod"`,
  ],
  [
    'a stage environment that pipeline.config.ts does not define',
    (i) => (stage(i, 'dev').environment = 'staging'),
    `${dev}: environment is "staging", which pipeline.config.ts does not define. Fix: use one of "dev", "prod", or add it to environments`,
  ],
  [
    'an environment variable name with a hyphen',
    (i) => (service(i, 'orders').environment = { 'LOG-LEVEL': 'INFO' }),
    `${orders}: environment key is "LOG-LEVEL": is not a valid environment variable name. Fix: use letters, digits and underscores, starting with a letter`,
  ],
  [
    'an environment variable name reserved by Lambda',
    (i) => (service(i, 'orders').environment = { AWS_REGION: 'eu-west-1' }),
    `${orders}: environment key is "AWS_REGION": is reserved by Lambda (AWS_*). Fix: pick another name`,
  ],
];

describe('validateApp() refuses bad configuration with one message: entry, value and fix', () => {
  it('accepts the real configuration (the baseline every case changes)', () => {
    expect(() => validateApp(real)).not.toThrow();
  });

  it.each(cases)('%s', (_, change, message) => {
    const actual = messageOf(changed(change));
    expect(actual).toBe(message);
    expect(actual).not.toContain('\n');
    expect(actual).toContain('. Fix: ');
  });
});

describe('validateApp() resolves stage entries', () => {
  it('gives every service its stage strategy unless the entry overrides it', () => {
    const model = validateApp(
      changed((i) => {
        stage(i, 'prod').services = [
          'greeter',
          { name: 'orders', strategy: Strategy.canary(25, 5) },
        ];
      }),
    );
    const labels = model.stages.map((s) => [
      s.name,
      s.services.map((x) => `${x.name}:${strategyLabel(x.strategy)}`),
    ]);
    expect(labels).toEqual([
      ['dev', ['greeter:ALL_AT_ONCE', 'orders:ALL_AT_ONCE']],
      ['prod', ['greeter:CANARY_10PERCENT_10MINUTES', 'orders:CANARY_25PERCENT_5MINUTES']],
    ]);
  });

  it('allows all-at-once in an approval-gated stage when the entry gives a reason', () => {
    const reason = 'stateless read-only lookup, rollback takes seconds';
    const model = validateApp(
      changed((i) => {
        stage(i, 'prod').services = [
          'greeter',
          { name: 'orders', strategy: Strategy.allAtOnce(), allAtOnceReason: reason },
        ];
      }),
    );
    expect(strategyLabel(model.stages[1].services[1].strategy)).toBe('ALL_AT_ONCE');
  });

  it('applies stageOverrides in their stage only', () => {
    const model = validateApp(real);
    const env = model.stages.map((s) => s.services.find((x) => x.name === 'orders')!.environment);
    expect(env).toEqual([{ POWERTOOLS_LOG_LEVEL: 'DEBUG' }, { POWERTOOLS_LOG_LEVEL: 'INFO' }]);
  });
});

/** The rule, written independently of the regex in schema.ts. */
function followsNameRule(s: string): boolean {
  return (
    s.length >= 2 &&
    s.length <= SERVICE_NAME_MAX &&
    /[a-z]/.test(s[0]) &&
    [...s].every((c) => /[a-z0-9-]/.test(c)) &&
    !s.includes('--') &&
    !s.endsWith('-')
  );
}

/** Names generated from the grammar: a letter, then letters/digits, hyphen-separated segments. */
const validName = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/),
    fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 3 }),
  )
  .map(([head, rest]) => [head, ...rest].join('-'))
  .filter((s) => s.length >= 2 && s.length <= SERVICE_NAME_MAX);

describe('the service name rule (property-based)', () => {
  it('accepts every name the grammar generates, in the schema and in the scaffold', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(serviceName.safeParse(name).success).toBe(true);
        expect(checkServiceName(name)).toBeUndefined();
      }),
    );
  });

  it('refuses every name that breaks one part of the rule', () => {
    const broken = fc.oneof(
      validName.map((n) => n.toUpperCase()),
      validName.map((n) => `${n}-`),
      validName.map((n) => `${n[0]}--${n.slice(1)}`),
      validName.map((n) => `${n[0]}_${n.slice(1)}`),
      validName.map((n) => `9${n}`),
      validName.map((n) => `-${n}`),
      validName.map((n) => n.padEnd(SERVICE_NAME_MAX + 1, 'x')),
      fc.stringMatching(/^[a-z]$/),
    );
    fc.assert(
      fc.property(broken, (name) => {
        expect(followsNameRule(name)).toBe(false);
        expect(serviceName.safeParse(name).success).toBe(false);
        expect(checkServiceName(name)).toMatch(
          new RegExp(`^the name "${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" .+\\. Fix: .+`),
        );
      }),
    );
  });

  it('agrees with the rule on arbitrary strings over a tricky alphabet', () => {
    const tricky = fc.string({
      unit: fc.constantFrom('a', 'q', 'z', '0', '7', '-', 'A', '_', ' ', '.', 'é'),
      maxLength: SERVICE_NAME_MAX + 3,
    });
    fc.assert(
      fc.property(tricky, (name) => {
        const accepted = followsNameRule(name);
        expect(serviceName.safeParse(name).success).toBe(accepted);
        expect(checkServiceName(name) === undefined).toBe(accepted);
      }),
      { numRuns: 500 },
    );
  });
});
