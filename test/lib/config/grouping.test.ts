import fc from 'fast-check';
import {
  DESIGN_SERVICES,
  MAX_ACTIONS_PER_STAGE,
  MAX_SERVICES_PER_GROUP,
  MAX_SINGLE_STACKS,
  maxSingleStacks,
  stackForNewService,
  stackOf,
  waveActions,
  type Placement,
} from '../../../lib/config/grouping';
import { validateApp, type AppInput, type LoadedService } from '../../../lib/config/validate';
import { environments, fixtureInput, fixtureService, LIVE_ACCOUNT, type Json } from './fixtures';

/** Adds services one by one the way `npm run new-service` places them. */
function grow(n: number, environmentsPerWave = 1): Placement[] {
  const placements: Placement[] = [];
  for (let i = 0; i < n; i++) {
    const stack = stackForNewService(placements, environmentsPerWave);
    placements.push(stack === undefined ? { name: `s${i}` } : { name: `s${i}`, stack });
  }
  return placements;
}

/** The fixture configuration with `placements` as the services of both stages. */
function withServices(placements: readonly Placement[], liveWaves?: string[][]): AppInput {
  const input = fixtureInput();
  const entries = placements.map((p) => (p.stack ? { name: p.name, stack: p.stack } : p.name));
  for (const stage of input.stages) (stage.value as Json).services = entries;
  if (liveWaves) {
    const live = input.stages[1].value as Json;
    delete live.environment;
    live.waves = liveWaves.map((e) => ({ environments: e }));
    const config = input.config.value as Json;
    (config.pipeline as Json).regions = ['eu-west-2', 'eu-central-1'];
    environments(input)['live-b'] = { account: LIVE_ACCOUNT, region: 'eu-west-2' };
    environments(input)['live-c'] = { account: LIVE_ACCOUNT, region: 'eu-central-1' };
  }
  (input.services as LoadedService[]).splice(
    0,
    2,
    ...placements.map((p) => fixtureService(p.name)),
  );
  return input;
}

test('the first services get stacks of their own, then shared groups fill up in order', () => {
  const placements = grow(MAX_SINGLE_STACKS + MAX_SERVICES_PER_GROUP + 1);
  expect(placements.slice(0, MAX_SINGLE_STACKS).every((p) => p.stack === undefined)).toBe(true);
  expect(placements.slice(MAX_SINGLE_STACKS, -1).every((p) => p.stack === 'group-1')).toBe(true);
  expect(placements.at(-1)!.stack).toBe('group-2');
});

test('adding services never moves one already placed, and no group outgrows its limit', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 300 }),
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 1, max: 3 }),
      (n, more, width) => {
        const before = grow(n, width);
        const after = grow(n + more, width);
        expect(after.slice(0, n)).toEqual(before);
        const sizes = new Map<string, number>();
        for (const p of after) sizes.set(stackOf(p), (sizes.get(stackOf(p)) ?? 0) + 1);
        for (const [stack, size] of sizes) {
          expect(size).toBeLessThanOrEqual(stack.startsWith('group-') ? MAX_SERVICES_PER_GROUP : 1);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('a wave counts its stacks once per environment, then its smoke test and its bake', () => {
  const stage = { smokeTests: true, bakeMinutes: 15 };
  expect(waveActions(10, 1, stage)).toBe(10 + 1 + 1);
  expect(waveActions(10, 3, stage)).toBe(3 * 10 + 1 + 1);
  expect(waveActions(10, 2, { smokeTests: true, bakeMinutes: 0 })).toBe(2 * 10 + 1);
  expect(waveActions(10, 1, { smokeTests: false, bakeMinutes: 0 })).toBe(10);
});

test(`${DESIGN_SERVICES} services placed this way fit one pipeline stage per wave of up to 3 environments`, () => {
  for (const width of [1, 2, 3]) {
    const stacks = new Set(grow(DESIGN_SERVICES, width).map(stackOf)).size;
    const actions = waveActions(stacks, width, { smokeTests: true, bakeMinutes: 15 });
    expect({ width, fits: actions <= MAX_ACTIONS_PER_STAGE }).toEqual({ width, fits: true });
  }
  expect([1, 2, 3, 4].map(maxSingleStacks)).toEqual([MAX_SINGLE_STACKS, 11, 2, 0]);
});

test(`${DESIGN_SERVICES} services placed this way validate, each in the stack its entry names`, () => {
  const model = validateApp(
    withServices(grow(DESIGN_SERVICES, 2), [['live'], ['live-b', 'live-c']]),
  );
  for (const stage of model.stages) {
    expect(stage.services).toHaveLength(DESIGN_SERVICES);
    expect(stage.services[0].stack).toBe('s0');
    expect(stage.services[DESIGN_SERVICES - 1].stack).toMatch(/^group-\d+$/);
  }
});

test('a stage of too many stacks is refused before synth, with the count and the fix', () => {
  const placements = Array.from({ length: 50 }, (_, i) => ({ name: `s${i}` }));
  expect(() => validateApp(withServices(placements))).toThrow(
    'Stage entry "test" (stages/test.ts): its 50 services in 50 stacks need 51 pipeline actions (50 service stacks + 1 smoke test), more than the 50 one CodePipeline stage holds, so the stage would be split and deploy in sequence (another canary window each). Fix: place the services added last into shared stacks with { name, stack: "group-N" } (npm run new-service does this once a stage has 30 single-service stacks)',
  );
});

test('a wave of two environments of too many stacks is refused, counting both environments', () => {
  const placements = Array.from({ length: 25 }, (_, i) => ({ name: `s${i}` }));
  expect(() => validateApp(withServices(placements, [['live'], ['live-b', 'live-c']]))).toThrow(
    'Stage entry "live" (stages/live.ts): wave 2 (live-b, live-c) with 25 services in 25 stacks needs 52 pipeline actions (2 environments × 25 service stacks + 1 smoke test + 1 bake), more than the 50 one CodePipeline stage holds, so the stage would be split and deploy in sequence (another canary window each). Fix: place the services added last into shared stacks with { name, stack: "group-N" } (npm run new-service does this once a stage has 11 single-service stacks), or deploy to fewer environments in this wave',
  );
});

test('a shared stack of too many services is refused, naming the services to move', () => {
  const placements = Array.from({ length: MAX_SERVICES_PER_GROUP + 1 }, (_, i) => ({
    name: `s${i}`,
    stack: 'big',
  }));
  expect(() => validateApp(withServices(placements))).toThrow(
    `Stage entry "test" (stages/test.ts): stack "big" holds 16 services, more than the 15 that fit under CloudFormation's resource limit. Fix: give "s15" another stack, e.g. { name: "s15", stack: "big-2" }`,
  );
});

test('the naive baseline of the benchmark can switch the limits off', () => {
  const placements = Array.from({ length: 49 }, (_, i) => ({ name: `s${i}` }));
  expect(
    validateApp(withServices(placements), { enforceLimits: false }).stages[0].services,
  ).toHaveLength(49);
});

test('a wave with more environments than a condition holds rules is refused, with the fix', () => {
  const input = withServices([{ name: 's0' }], [['live'], ['live-b', 'live-c']]);
  const config = input.config.value as Json;
  const extra = ['eu-north-1', 'eu-south-1', 'eu-west-3', 'eu-central-2'];
  (config.pipeline as Json).regions = ['eu-west-2', 'eu-central-1', ...extra];
  extra.forEach((region, i) => {
    environments(input)[`live-x${i}`] = { account: LIVE_ACCOUNT, region };
  });
  const live = input.stages[1].value as Json;
  live.waves = [
    { environments: ['live'] },
    { environments: ['live-b', 'live-c', ...extra.map((_, i) => `live-x${i}`)] },
  ];
  expect(() => validateApp(input)).toThrow(
    /wave 2 \(live-b, live-c, live-x0, live-x1, live-x2, live-x3\) deploys to 6 environments, and its entry condition needs 6 rules \(the alarm blocker: one per environment\), more than the 5 rules CodePipeline allows in one condition\. Fix: spread these environments over more waves \(at most 5 in this wave\)/,
  );
});
