import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../../lib/config/config-error';
import type { AppModel } from '../../../lib/config/model';
import { FunctionBundles } from '../../../lib/service/function-bundles';

/**
 * What the handler check cannot see (it leaves packages external) still ends synth in one line:
 * a package that is installed but does not load.
 */
test('a bundle that fails names the file, the problem and the fix, not a stack trace', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-failure-'));
  const files: Record<string, string> = {
    // Installed, but its entry file is gone: only bundling finds out.
    'node_modules/half-installed/package.json': '{ "name": "half-installed", "main": "gone.js" }\n',
    'services/broken/handler.ts':
      "import { pad } from 'half-installed';\nexport const handler = async () => pad;\n",
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  // Only what bundling reads: the stage's services' names, entries and checks.
  const model = {
    stages: [
      {
        name: 'qa',
        prefix: 'fixture-qa',
        services: [{ name: 'broken', entry: path.join(dir, 'services/broken/handler.ts') }],
      },
    ],
  } as unknown as AppModel;
  let thrown: unknown;
  try {
    FunctionBundles.build(model, path.join(dir, 'cdk.out'));
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  expect((thrown as Error).message).toMatch(
    /^The functions cannot be bundled: \S*services\/broken\/handler\.ts:1:21: Could not resolve "half-installed"\. Fix: npm install half-installed \(it is missing or broken in node_modules\), then synthesize again$/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});
