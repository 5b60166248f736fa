import fc from 'fast-check';
import { checkServiceName } from '../../../scripts/new-service';
import { SERVICE_NAME_MAX, serviceName } from '../../../lib/config/schema';
import { Strategy, strategyLabel } from '../../../lib/config/strategy';
import { validateApp, type AppInput } from '../../../lib/config/validate';
import {
  changed,
  config,
  environments,
  fixtureInput,
  LIVE_ACCOUNT,
  messageOf,
  service,
  stage,
  TEST_ACCOUNT,
  type Json,
} from './fixtures';

import { cases, inWaves, snArn } from './refusal-cases';

describe('validateApp() refuses bad configuration with one message: entry, value and fix', () => {
  it('accepts the fixture (the baseline every case changes)', () => {
    expect(() => validateApp(fixtureInput())).not.toThrow();
  });

  it.each(cases)('%s', (_, change, message) => {
    const actual = messageOf(changed(change));
    expect(actual).toBe(message);
    expect(actual).not.toContain('\n');
    expect(actual).toContain('. Fix: ');
  });
});

describe('exceptions to the approval rules, and their reasons, are in the model', () => {
  const reason = 'the partner API answers in live only, not in test';
  it('a stage that requires approval may come first, with untestedReason: the services it deploys untested', () => {
    const model = validateApp(
      changed((i) => {
        i.stages.reverse();
        stage(i, 'live').untestedReason = reason;
      }),
    );
    expect(model.stages.map((s) => [s.name, s.untested])).toEqual([
      ['live', { services: ['alpha', 'beta-two'], reason }],
      ['test', undefined],
    ]);
  });

  it('only the services no earlier stage deploys count as untested', () => {
    const model = validateApp(
      changed((i) => {
        stage(i, 'test').services = ['alpha'];
        stage(i, 'live').untestedReason = reason;
      }),
    );
    expect(model.stages[1].untested).toEqual({ services: ['beta-two'], reason });
  });

  it("allAtOnceReason reaches each service it covers: the entry's, else the stage's", () => {
    const model = validateApp(
      changed((i) => {
        const entry = stage(i, 'live');
        entry.strategy = Strategy.allAtOnce();
        entry.allAtOnceReason = 'every service here is a read-only lookup';
        entry.services = [
          'alpha',
          { name: 'beta-two', allAtOnceReason: 'beta-two keeps no state at all, ever' },
        ];
      }),
    );
    expect(model.stages.map((st) => st.services.map((x) => x.allAtOnceReason))).toEqual([
      [undefined, undefined],
      ['every service here is a read-only lookup', 'beta-two keeps no state at all, ever'],
    ]);
  });
});

describe('validateApp() resolves the configuration into the model', () => {
  it('gives every service its stage strategy unless the entry overrides it', () => {
    const model = validateApp(
      changed((i) => {
        stage(i, 'live').services = [
          'alpha',
          { name: 'beta-two', strategy: Strategy.canary(25, 5) },
        ];
      }),
    );
    const labels = model.stages.map((s) => [
      s.name,
      s.services.map((x) => `${x.name}:${strategyLabel(x.strategy)}`),
    ]);
    expect(labels).toEqual([
      ['test', ['alpha:ALL_AT_ONCE', 'beta-two:ALL_AT_ONCE']],
      ['live', ['alpha:CANARY_20PERCENT_5MINUTES', 'beta-two:CANARY_25PERCENT_5MINUTES']],
    ]);
  });

  it('allows all-at-once in an approval-gated stage when the entry gives a reason', () => {
    const reason = 'stateless read-only lookup, rollback takes seconds';
    const model = validateApp(
      changed((i) => {
        stage(i, 'live').services = [
          'alpha',
          { name: 'beta-two', strategy: Strategy.allAtOnce(), allAtOnceReason: reason },
        ];
      }),
    );
    expect(strategyLabel(model.stages[1].services[1].strategy)).toBe('ALL_AT_ONCE');
  });

  it('applies stageOverrides in their stage only, environment and alarms key by key', () => {
    const model = validateApp(
      changed((i) => {
        Object.assign(service(i, 'beta-two'), {
          alarms: { errorRatePercent: 2, maxThrottles: 3 },
          stageOverrides: { test: { environment: { DEBUG: '1' }, alarms: { maxThrottles: 9 } } },
        });
      }),
    );
    const betas = model.stages.map((s) => s.services.find((x) => x.name === 'beta-two')!);
    expect(betas.map((b) => b.environment)).toEqual([
      { LOG_LEVEL: 'INFO', DEBUG: '1' },
      { LOG_LEVEL: 'INFO' },
    ]);
    expect(betas.map((b) => [b.alarms.errorRatePercent, b.alarms.maxThrottles])).toEqual([
      [2, 9],
      [2, 3],
    ]);
  });

  it('fills in the defaults of a stage and of a service', () => {
    const model = validateApp(fixtureInput());
    const [first, second] = model.stages;
    expect([first.smokeTests, first.bakeMinutes, first.blockWhileAlarming]).toEqual([
      true,
      0,
      false,
    ]);
    expect([second.smokeTests, second.bakeMinutes, second.blockWhileAlarming]).toEqual([
      true,
      15,
      true,
    ]);
    expect(second.deploymentWindow).toBeUndefined();
    const beta = second.services.find((s) => s.name === 'beta-two')!;
    expect(beta).toMatchObject({
      memoryMb: 256,
      timeoutSeconds: 10,
      lattice: false,
      stack: 'beta-two',
      alarms: {
        errorRatePercent: 1,
        minInvocationsPerMinute: 10,
        p99LatencyMs: 1000,
        maxThrottles: 1,
      },
      canary: {
        baselineErrorRatePercent: 0.1,
        confidencePercent: 99,
        powerPercent: 90,
        onQuiet: 'fail',
        compareToBaseline: true,
        watchMinutes: 10,
      },
    });
    expect(second.blockWaitMinutes).toBe(60);
    // 80% of a 5-second timeout.
    expect(second.services.find((s) => s.name === 'alpha')!.alarms.p99LatencyMs).toBe(1000);
    expect(
      validateApp(changed((i) => (service(i, 'alpha').timeoutSeconds = 1))).stages[0].services[0]
        .alarms.p99LatencyMs,
    ).toBe(800);
  });

  it('takes the stage settings the entry gives', () => {
    const model = validateApp(
      changed((i) =>
        Object.assign(stage(i, 'live'), {
          smokeTests: false,
          bakeMinutes: 0,
          blockWhileAlarming: false,
          deploymentWindow: { cron: '* 0-59 9-16 ? * MON-FRI' },
        }),
      ),
    );
    const live = model.stages[1];
    expect([live.smokeTests, live.bakeMinutes, live.blockWhileAlarming]).toEqual([false, 0, false]);
    expect(live.deploymentWindow).toEqual({ cron: '* 0-59 9-16 ? * MON-FRI', timeZone: 'UTC' });
  });

  it('resolves the canary judgement: defaults from the thresholds, overrides key by key, declared traffic', () => {
    const model = validateApp(
      changed((i) => {
        service(i, 'alpha').alarms = { errorRatePercent: 2 };
        service(i, 'alpha').canary = { onQuiet: 'generate-traffic', confidencePercent: 95 };
        service(i, 'alpha').stageOverrides = {
          live: { canary: { baselineErrorRatePercent: 0.5, compareToBaseline: false } },
        };
        stage(i, 'live').services = [{ name: 'alpha', requestsPerMinute: 50 }, 'beta-two'];
        stage(i, 'live').blockWhileAlarming = { waitMinutes: 30 };
      }),
    );
    const [test, live] = model.stages.map((s) => s.services.find((x) => x.name === 'alpha')!);
    // The healthy rate is a tenth of the threshold unless told.
    expect(test.canary).toEqual({
      baselineErrorRatePercent: 0.2,
      confidencePercent: 95,
      powerPercent: 90,
      onQuiet: 'generate-traffic',
      compareToBaseline: true,
      watchMinutes: 10,
    });
    expect(live.canary).toMatchObject({ baselineErrorRatePercent: 0.5, compareToBaseline: false });
    expect(test.requestsPerMinute).toBeUndefined();
    expect(live.requestsPerMinute).toBe(50);
    expect([model.stages[1].blockWhileAlarming, model.stages[1].blockWaitMinutes]).toEqual([
      true,
      30,
    ]);
  });

  it('turns a Lattice front door on from the definition, a stage override or the stage entry', () => {
    const lattice = (change: (i: AppInput) => void) =>
      validateApp(changed(change)).stages.map((s) => s.services[0].lattice);
    expect(lattice((i) => (service(i, 'alpha').lattice = true))).toEqual([true, true]);
    expect(
      lattice((i) => {
        service(i, 'alpha').lattice = true;
        service(i, 'alpha').stageOverrides = { test: { lattice: false } };
      }),
    ).toEqual([false, true]);
    expect(
      lattice((i) => {
        service(i, 'alpha').stageOverrides = { test: { lattice: true } };
        stage(i, 'test').services = [{ name: 'alpha', lattice: false }, 'beta-two'];
        stage(i, 'live').services = [{ name: 'alpha', lattice: true }, 'beta-two'];
      }),
    ).toEqual([false, true]);
  });

  it('resolves environments with their Lattice network settings', () => {
    const model = validateApp(
      changed((i) => {
        environments(i).live.lattice = {
          vpcIds: ['vpc-0123abcd', 'vpc-0123456789abcdef0'],
          allowedAccounts: [TEST_ACCOUNT, LIVE_ACCOUNT],
          organizationId: 'o-a1b2c3d4e5',
        };
        environments(i).test.lattice = { serviceNetwork: snArn('eu-west-1') };
      }),
    );
    expect(model.stages.map((s) => s.waves[0].environments[0])).toEqual([
      {
        name: 'test',
        account: TEST_ACCOUNT,
        region: 'eu-west-1',
        lattice: {
          serviceNetwork: snArn('eu-west-1'),
          vpcIds: [],
          allowedAccounts: [TEST_ACCOUNT],
        },
      },
      {
        name: 'live',
        account: LIVE_ACCOUNT,
        region: 'eu-west-1',
        lattice: {
          vpcIds: ['vpc-0123abcd', 'vpc-0123456789abcdef0'],
          allowedAccounts: [TEST_ACCOUNT, LIVE_ACCOUNT],
          organizationId: 'o-a1b2c3d4e5',
        },
      },
    ]);
  });

  it('resolves waves in order, with the regions the pipeline is bootstrapped in', () => {
    const model = validateApp(
      changed((i) => {
        environments(i)['live-us'] = { account: LIVE_ACCOUNT, region: 'us-west-2' };
        environments(i)['live-ap'] = { account: LIVE_ACCOUNT, region: 'ap-south-1' };
        (config(i).pipeline as Json).regions = ['us-west-2', 'eu-west-1', 'ap-south-1'];
        inWaves(i, [['live'], ['live-us', 'live-ap']]);
      }),
    );
    expect(model.pipelineRegions).toEqual(['eu-west-1', 'us-west-2', 'ap-south-1']);
    expect(
      model.stages[1].waves.map((w) => [
        w.index,
        w.environments.map((e) => `${e.name}@${e.region}`),
      ]),
    ).toEqual([
      [1, ['live@eu-west-1']],
      [2, ['live-us@us-west-2', 'live-ap@ap-south-1']],
    ]);
    expect(model.stages[0].waves).toHaveLength(1);
    expect(validateApp(fixtureInput()).pipelineRegions).toEqual(['eu-west-1']);
  });

  it('prefixes every stage with the pipeline name', () => {
    expect(validateApp(fixtureInput()).stages.map((s) => s.prefix)).toEqual([
      'fixture-pipeline-test',
      'fixture-pipeline-live',
    ]);
  });
});

/** The rule, written independently of the regex and word lists of the implementation. */
function followsNameRule(s: string): boolean {
  return (
    s.length >= 2 &&
    s.length <= SERVICE_NAME_MAX &&
    /[a-z]/.test(s[0]) &&
    [...s].every((c) => /[a-z0-9-]/.test(c)) &&
    !s.includes('--') &&
    !s.endsWith('-') &&
    !/^group-[0-9]+$/.test(s) &&
    usableAsKey(s)
  );
}

/** Not a property of every object, nor a word a strict-mode async function cannot bind. */
function usableAsKey(s: string): boolean {
  if (s in {}) return false;
  if (!/^[A-Za-z_$][\w$]*$/.test(s)) return true; // not an identifier: not a word either
  try {
    new Function(`"use strict"; let ${s}; async function f() { let ${s}; } return [f];`);
    return true;
  } catch {
    return false;
  }
}

/** Names generated from the grammar: a letter, then letters/digits, hyphen-separated segments. */
const validName = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/),
    fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 3 }),
  )
  .map(([head, rest]) => [head, ...rest].join('-'))
  .filter(followsNameRule);

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
      fc.constantFrom('constructor', 'delete', 'new', 'let', 'await', 'group-7'),
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
    const tricky = fc.oneof(
      fc.string({
        unit: fc.constantFrom('a', 'q', 'z', '0', '7', '-', 'A', '_', ' ', '.', 'é'),
        maxLength: SERVICE_NAME_MAX + 3,
      }),
      fc.constantFrom('do', 'if', 'in', 'for', 'try', 'var', 'void', 'with', 'eval', 'static'),
    );
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
