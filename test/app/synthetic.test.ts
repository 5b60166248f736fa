import * as path from 'path';
import { EXIT, knownServices, main } from '../../scripts/synthetic';
import { ROOT } from '../helpers/project';
import { quietLogs } from '../helpers/service-test';
import { rows } from '../helpers/smoke-targets';

/**
 * Every service of the project passes its own synthetic checks against its handler, in this
 * process, as `npm run synthetic` runs them: the checks the traffic hooks and smoke tests run
 * after every deployment, so a service whose checks fail here would fail its release.
 */
const SERVICES_DIR = path.join(ROOT, 'services');

quietLogs();

test("every service's synthetic checks pass against its handler", async () => {
  const services = knownServices(SERVICES_DIR);
  expect(services.length).toBeGreaterThan(0);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main({
    argv: services,
    env: {},
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    servicesDir: SERVICES_DIR,
  });
  const expected: string[][] = [];
  for (const service of services) {
    const { checks } = (await import(path.join(SERVICES_DIR, service, 'synthetic.ts'))) as {
      checks: { name: string }[];
    };
    for (const check of checks) expected.push([service, check.name, 'PASS']);
  }
  expect(expected.length).toBeGreaterThan(0);
  expect(rows(out.join('\n')).map((r) => r.slice(0, 3))).toEqual(expected);
  expect(err).toEqual([]);
  expect(code).toBe(EXIT.passed);
});
