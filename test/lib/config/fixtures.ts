import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../../lib/config/config-error';
import { Strategy } from '../../../lib/config/strategy';
import {
  validateApp,
  type AppInput,
  type Loaded,
  type LoadedService,
} from '../../../lib/config/validate';

/**
 * Configurations the config tests own: names, accounts and regions of their own, never the
 * sample's, so that a user's first change to the sample cannot break them.
 */

export type Json = Record<string, unknown>;

export const TOOLS_ACCOUNT = '444455556666';
export const TEST_ACCOUNT = '555566667777';
export const LIVE_ACCOUNT = '666677778888';
export const REGION = 'eu-west-1';

/** A handler that compiles and exports `handler`. */
export const GOOD_HANDLER =
  'export const handler = async () => ({ statusCode: 200, body: "ok" });\n';

/** Where in-memory fixture services claim to live (nothing is read there but handlers on disk). */
export const FIXTURE_DIR = path.join(__dirname, 'fixture-project');

/** A service of the fixture: in memory, its handler given as source. */
export function fixtureService(name: string, definition: Json = {}): LoadedService {
  return {
    dir: path.join(FIXTURE_DIR, 'services', name),
    definition: { file: `services/${name}/service.ts`, value: { name, ...definition } },
    checks: {
      file: `services/${name}/synthetic.ts`,
      value: [{ name: `${name} answers`, event: { rawPath: '/' }, expect: { statusCode: 200 } }],
    },
    handlerSource: GOOD_HANDLER,
  };
}

export function fixtureConfig(): Json {
  return {
    pipelineName: 'fixture-pipeline',
    source: {
      connectionArn: `arn:aws:codeconnections:${REGION}:${TOOLS_ACCOUNT}:connection/0a1b2c3d-0000-4000-8000-000000000000`,
      repository: 'example-org/fixture-services',
      branch: 'trunk',
    },
    pipeline: { account: TOOLS_ACCOUNT, region: REGION },
    environments: {
      test: { account: TEST_ACCOUNT, region: REGION },
      live: { account: LIVE_ACCOUNT, region: REGION },
    },
  };
}

/**
 * Two stages, `test` (all at once) and `live` (approval, a custom canary), deploying the
 * services `alpha` and `beta-two`.
 */
export function fixtureInput(): AppInput {
  return {
    config: { file: 'pipeline.config.ts', value: fixtureConfig() },
    stages: [
      {
        file: 'stages/test.ts',
        value: {
          name: 'test',
          environment: 'test',
          strategy: Strategy.allAtOnce(),
          services: ['alpha', 'beta-two'],
        },
      },
      {
        file: 'stages/live.ts',
        value: {
          name: 'live',
          environment: 'live',
          strategy: Strategy.canary(20, 5),
          requiresApproval: true,
          services: ['alpha', 'beta-two'],
        },
      },
    ],
    services: [
      fixtureService('alpha', { memoryMb: 256, timeoutSeconds: 5 }),
      fixtureService('beta-two', { environment: { LOG_LEVEL: 'INFO' } }),
    ],
  };
}

/** A deep copy of the fixture, changed by `change`. */
/** An input whose stages a test may reorder or remove. */
export type ChangeableInput = Omit<AppInput, 'stages'> & { stages: Loaded[] };

export function changed(change: (input: ChangeableInput) => void): AppInput {
  const input: ChangeableInput = { ...structuredClone(fixtureInput()) } as ChangeableInput;
  change(input);
  return input;
}

export const config = (i: AppInput) => i.config.value as Json;
export const environments = (i: AppInput) => config(i).environments as Record<string, Json>;
export const stage = (i: AppInput, name: string) =>
  i.stages.find((s) => (s.value as Json).name === name)!.value as Json;
export const service = (i: AppInput, name: string) =>
  i.services.find((s) => (s.definition.value as Json).name === name)!.definition.value as Json;

/** Replaces the synthetic checks of a service. */
export function setChecks(i: AppInput, name: string, checks: unknown): void {
  const loaded = i.services.find((s) => (s.definition.value as Json).name === name)!;
  (loaded.checks as { value: unknown }).value = checks;
}

/** Adds a service (in memory) and lists it in every stage. */
export function addService(i: AppInput, name: string, definition: Json = {}): void {
  (i.services as LoadedService[]).push(fixtureService(name, definition));
  for (const s of i.stages) ((s.value as Json).services as unknown[]).push(name);
}

/** The message validateApp() fails with; fails the test when it succeeds or throws otherwise. */
export function messageOf(input: AppInput): string {
  try {
    validateApp(input);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
  throw new Error('the configuration validated');
}

/** A fresh folder under the system's temporary directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Writes `files` (relative path to text) under `root`. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}
