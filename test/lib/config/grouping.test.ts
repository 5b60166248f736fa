import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import {
  MAX_ACTIONS_PER_STAGE,
  MAX_SERVICES_PER_GROUP,
  MAX_SINGLE_STACKS,
  stackActions,
  stackForNewService,
  stackOf,
  type Placement,
} from '../../../lib/config/grouping';
import { readAppInput } from '../../../lib/config/load';
import { validateApp, type AppInput } from '../../../lib/config/validate';
import { ROOT } from '../../helpers/project';

/** Adds services one by one the way `npm run new-service` places them. */
function grow(n: number): Placement[] {
  const placements: Placement[] = [];
  for (let i = 0; i < n; i++) {
    const stack = stackForNewService(placements);
    placements.push(stack === undefined ? { name: `s${i}` } : { name: `s${i}`, stack });
  }
  return placements;
}

const real = readAppInput(ROOT);
const folders = fs.mkdtempSync(path.join(os.tmpdir(), 'grouping-'));

/** The real configuration with `placements` as the services of both stages. */
function withServices(placements: readonly Placement[]): AppInput {
  const base = structuredClone(real);
  const template = base.services.find(
    (s) => (s.definition.value as { name: string }).name === 'greeter',
  )!;
  const services = placements.map((p) => {
    const dir = path.join(folders, p.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'handler.ts'), '');
    return {
      dir,
      definition: {
        file: `services/${p.name}/service.ts`,
        value: { ...(template.definition.value as object), name: p.name },
      },
      checks: template.checks,
    };
  });
  const entries = placements.map((p) => (p.stack ? { name: p.name, stack: p.stack } : p.name));
  for (const stage of base.stages) (stage.value as { services: unknown }).services = entries;
  return { ...base, services };
}

test('the first services get stacks of their own, then shared groups fill up in order', () => {
  const placements = grow(MAX_SINGLE_STACKS + MAX_SERVICES_PER_GROUP + 1);
  expect(placements.slice(0, MAX_SINGLE_STACKS).every((p) => p.stack === undefined)).toBe(true);
  expect(placements.slice(MAX_SINGLE_STACKS, -1).every((p) => p.stack === 'group-1')).toBe(true);
  expect(placements.at(-1)!.stack).toBe('group-2');
});

test('adding services never moves one already placed, and no group outgrows its limit', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 50 }), (n, more) => {
      const before = grow(n);
      const after = grow(n + more);
      expect(after.slice(0, n)).toEqual(before);
      const sizes = new Map<string, number>();
      for (const p of after) sizes.set(stackOf(p), (sizes.get(stackOf(p)) ?? 0) + 1);
      for (const [stack, size] of sizes) {
        expect(size).toBeLessThanOrEqual(stack.startsWith('group-') ? MAX_SERVICES_PER_GROUP : 1);
      }
    }),
    { numRuns: 60 },
  );
});

test('200 services placed this way fit one pipeline stage, with approval and smoke tests', () => {
  const stacks = new Set(grow(200).map(stackOf)).size;
  expect(stackActions(stacks, { requiresApproval: true, smokeTests: true })).toBeLessThanOrEqual(
    MAX_ACTIONS_PER_STAGE,
  );
});

test('200 services placed this way validate, each service in the stack its entry names', () => {
  const model = validateApp(withServices(grow(200)));
  for (const stage of model.stages) {
    expect(stage.services).toHaveLength(200);
    expect(stage.services[0].stack).toBe('s0');
    expect(stage.services[199].stack).toMatch(/^group-\d+$/);
  }
});

test('a stage of too many stacks is refused before synth, with the count and the fix', () => {
  const placements = Array.from({ length: 49 }, (_, i) => ({ name: `s${i}` }));
  expect(() => validateApp(withServices(placements))).toThrow(
    'Stage entry "dev" (stages/dev.ts): its 49 services in 49 stacks need 51 pipeline actions, more than the 50 one CodePipeline stage holds, so the stage would be split and deploy in sequence (another canary window each). Fix: place the services added last into shared stacks with { name, stack: "group-N" } (npm run new-service does this once a stage has 30 single-service stacks)',
  );
});

test('a shared stack of too many services is refused, naming the services to move', () => {
  const placements = Array.from({ length: MAX_SERVICES_PER_GROUP + 1 }, (_, i) => ({
    name: `s${i}`,
    stack: 'big',
  }));
  expect(() => validateApp(withServices(placements))).toThrow(
    `Stage entry "dev" (stages/dev.ts): stack "big" holds 16 services, more than the 15 that fit under CloudFormation's resource limit. Fix: give "s15" another stack, e.g. { name: "s15", stack: "big-2" }`,
  );
});

test('the naive baseline of the benchmark can switch the limits off', () => {
  const placements = Array.from({ length: 49 }, (_, i) => ({ name: `s${i}` }));
  expect(
    validateApp(withServices(placements), { enforceLimits: false }).stages[0].services,
  ).toHaveLength(49);
});
