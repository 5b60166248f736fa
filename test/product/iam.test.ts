import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFixture } from '../../scripts/bench/fixture';
import { run, type RunResult } from '../helpers/project-copy';
import { ROOT } from '../helpers/project';

/**
 * The IAM check (`npm run iam`) on the configurations the product promises beyond the sample:
 * 200 services (the bench's fixture, services placed in shared stacks as `npm run new-service`
 * places them) and prod in three regions over two waves (examples/three-region-prod). Each runs
 * in a copy of the project: a structure synth (stand-in code, which does not change a policy),
 * then the check, exactly as a user would run it there.
 */
jest.setTimeout(900_000);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function checkFixture(
  name: string,
  spec: Parameters<typeof buildFixture>[2],
): Promise<RunResult> {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  buildFixture(ROOT, dir, spec);
  const synth = await run(
    dir,
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'scripts/bench/structure-synth.ts', 'cdk.out'],
    600_000,
  );
  if (synth.status !== 0) return synth;
  return run(dir, 'npm', ['run', '-s', 'iam', '--', 'cdk.out'], 600_000);
}

let scale: Promise<RunResult>;
let regions: Promise<RunResult>;
beforeAll(() => {
  scale = checkFixture('scale', { services: 200, variant: 'app' });
  regions = checkFixture('regions', {
    services: 3,
    variant: 'app',
    config: 'examples/three-region-prod',
  });
});

test('200 services: every role allows what its code calls and nothing more', async () => {
  const r = await scale;
  expect(r.output).toMatch(/IAM check passed: \d+ role\(s\)/);
  expect(r.status).toBe(0);
  // Five roles per service in each of the two stages, and the stage's and pipeline's own.
  expect(Number(/passed: (\d+) role/.exec(r.output)![1])).toBeGreaterThanOrEqual(200 * 2 * 4);
});

test('prod in three regions over two waves: the same, in every region and wave', async () => {
  const r = await regions;
  expect(r.output).toMatch(/IAM check passed/);
  expect(r.status).toBe(0);
});
