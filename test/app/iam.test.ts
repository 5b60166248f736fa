import { checkAssembly, formatFindings, type CheckResult } from '../../scripts/iam/check';
import { defaultApp } from '../helpers/default-app';

/**
 * The IAM check on the project's own app: every AWS call the code of each role makes (declared
 * next to that code) is allowed by the synthesized policies and resource policies, every
 * must-deny probe is denied, and no statement of the project grants what no call makes. It
 * follows the user's configuration: every stage, environment and service.
 */
jest.setTimeout(120_000);

let result: CheckResult;
beforeAll(async () => {
  const app = defaultApp();
  result = await checkAssembly(app.model, app.outdir);
});

test('every role allows what its code calls, denies the probes, and grants nothing more', () => {
  expect(formatFindings(result.findings)).toBe('');
});

test('the check covers every kind of role the app runs code with, in every environment', () => {
  const app = defaultApp();
  const kinds = new Set(result.expectations.map((e) => e.kind));
  for (const kind of [
    'service function',
    'pre-traffic hook',
    'post-traffic hook',
    'CodeDeploy',
    'release judge',
    'pipeline',
  ] as const) {
    expect(kinds).toContain(kind);
  }
  if (app.model.stages.some((s) => s.smokeTests)) expect(kinds).toContain('smoke step');
  if (app.model.stages.some((s) => s.bakeMinutes > 0)) {
    expect(kinds).toContain('bake function');
    expect(kinds).toContain('alarm reader');
  }
  const services = app.model.stages.reduce(
    (n, s) => n + s.services.length * s.waves.reduce((m, w) => m + w.environments.length, 0),
    0,
  );
  expect(result.expectations.filter((e) => e.kind === 'CodeDeploy')).toHaveLength(services);
});
