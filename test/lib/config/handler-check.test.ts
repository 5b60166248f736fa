import * as fs from 'fs';
import * as path from 'path';
import { handlerProblem } from '../../../lib/config/handler-check';
import { ROOT } from '../../helpers/project';
import { changed, messageOf, tempDir, writeFiles } from './fixtures';

/** Handlers on disk, in a folder of the test's own; nothing in them ever runs. */
let root: string;
const SIDE_EFFECT = 'handler-check-ran-it';

beforeAll(() => {
  root = tempDir('handler-check');
  writeFiles(root, {
    'services/direct/handler.ts': `throw new Error('${SIDE_EFFECT}');\nexport const handler = async () => ({ statusCode: 200 });\n`,
    'services/reexport/handler.ts': "export * from './lib/impl';\n",
    'services/reexport/lib/impl.ts':
      "import { Logger } from '@aws-lambda-powertools/logger';\nexport const handler = async () => new Logger();\n",
    'services/renamed/handler.ts': 'const main = async () => 1;\nexport { main as handler };\n',
    'services/misnamed/handler.ts':
      'export const handlr = async () => 1;\nexport default async function () {}\n',
    'services/empty/handler.ts': '// nothing yet\n',
    'services/broken/handler.ts':
      'export const handler = async () => {\n  const ok = true;\n  return ok ? : 1;\n};\n',
    'services/broken-import/handler.ts': "export { handler } from './lib/util';\n",
    'services/broken-import/lib/util.ts': 'export const handler = (\n',
    'services/needs-pad/handler.ts':
      "import { pad } from './lib/pad';\nexport const handler = async () => pad('x');\n",
    'services/needs-pad/lib/pad.ts':
      "import leftPad from 'left-pad';\nexport const pad = (s: string) => leftPad(s, 3);\n",
    'services/needs-sdk/handler.ts':
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async () => new DynamoDBClient({});\n",
    'services/builtins/handler.ts':
      "import { readFileSync } from 'node:fs';\nimport * as os from 'os';\nexport const handler = async () => [readFileSync, os];\n",
  });
  // Packages resolve as in the project: from its node_modules, found above the services.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

const check = (name: string, file = 'handler.ts') =>
  handlerProblem({
    entry: path.join(root, 'services', name, file),
    shown: `services/${name}/${file}`,
  });

describe('the handler check reads exports from the bundle, without running the handler', () => {
  it('accepts a direct export, a re-export from another file and a renamed export', () => {
    expect([check('direct'), check('reexport'), check('renamed')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuses a file without a handler export, naming what it exports and the likely fix', () => {
    expect(check('misnamed')).toBe(
      'services/misnamed/handler.ts does not export `handler` (it exports `default`, `handlr`). Fix: rename `handlr` to `handler`, or export the function Lambda calls as `export const handler = async (event) => { ... }`',
    );
    expect(check('empty')).toBe(
      'services/empty/handler.ts does not export `handler` (it exports nothing). Fix: export the function Lambda calls as `export const handler = async (event) => { ... }`',
    );
  });

  it('reports a syntax error as file:line:column and the message, not a stack trace', () => {
    expect(check('broken')).toBe(
      'services/broken/handler.ts does not compile: services/broken/handler.ts:3:15: Unexpected ":". Fix: correct it there (npx tsc --noEmit shows every error)',
    );
  });

  it('reports a syntax error in a file the handler imports at that file', () => {
    expect(check('broken-import')).toBe(
      'services/broken-import/handler.ts does not compile: services/broken-import/lib/util.ts:2:1: Unexpected end of file. Fix: correct it there (npx tsc --noEmit shows every error)',
    );
  });

  it('names a package that is not installed, the file importing it and the npm install that fixes it', () => {
    expect(check('needs-pad')).toBe(
      'services/needs-pad/handler.ts imports "left-pad" (in services/needs-pad/lib/pad.ts:1), which is not installed, so the function cannot be bundled. Fix: npm install left-pad (a dependency: esbuild bundles it into the function), or remove the import',
    );
  });

  it('accepts the package once it is installed, as the fix says', () => {
    const installed = tempDir('installed');
    writeFiles(installed, {
      'node_modules/left-pad/package.json': '{ "name": "left-pad", "main": "index.js" }\n',
      'node_modules/left-pad/index.js': 'module.exports = (s, n) => s.padStart(n);\n',
      'services/needs-pad/handler.ts': read('services/needs-pad/handler.ts'),
      'services/needs-pad/lib/pad.ts': read('services/needs-pad/lib/pad.ts'),
    });
    const entry = path.join(installed, 'services', 'needs-pad', 'handler.ts');
    expect(handlerProblem({ entry, shown: 'services/needs-pad/handler.ts' })).toBeUndefined();
    fs.rmSync(installed, { recursive: true, force: true });
  });

  it('an AWS SDK v3 client: a dev dependency, since the Lambda runtime provides it', () => {
    expect(check('needs-sdk')).toBe(
      'services/needs-sdk/handler.ts imports "@aws-sdk/client-dynamodb" (line 1), which is not installed: the Lambda runtime provides the AWS SDK v3, so the bundle leaves @aws-sdk/* out, but the type-check and the tests load it. Fix: npm install --save-dev @aws-sdk/client-dynamodb (a dev dependency; it stays external)',
    );
  });

  it("takes Node.js's own modules for what they are", () => {
    expect(check('builtins')).toBeUndefined();
  });

  it('checks a handler given as source, before it exists on disk', () => {
    const entry = path.join(root, 'services', 'not-written', 'handler.ts');
    expect(
      handlerProblem({ entry, shown: 'services/not-written/handler.ts', source: 'export {};\n' }),
    ).toBe(
      'services/not-written/handler.ts does not export `handler` (it exports nothing). Fix: export the function Lambda calls as `export const handler = async (event) => { ... }`',
    );
    expect(fs.existsSync(entry)).toBe(false);
  });

  it('sees a change to a file it checked before', () => {
    const file = path.join(root, 'services', 'changing', 'handler.ts');
    writeFiles(root, { 'services/changing/handler.ts': 'export const handler = 1;\n' });
    expect(check('changing')).toBeUndefined();
    fs.writeFileSync(file, 'export const other = 1;\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(check('changing')).toMatch(/does not export `handler` \(it exports `other`\)/);
  });
});

describe('validateApp() refuses a service whose handler cannot work', () => {
  /** The fixture with service `alpha` read from a folder on disk. */
  const onDisk = (name: string) =>
    changed((i) => {
      const alpha = i.services[0] as {
        dir: string;
        handlerSource?: string;
        definition: { file: string; value: { name: string } };
      };
      alpha.dir = path.join(root, 'services', name);
      delete alpha.handlerSource;
      alpha.definition.file = `services/${name}/service.ts`;
      alpha.definition.value.name = name;
      for (const s of i.stages) {
        const services = (s.value as { services: string[] }).services;
        services[0] = name;
      }
    });

  it('a handler file that does not exist', () => {
    expect(messageOf(onDisk('missing'))).toBe(
      'Service definition "missing" (services/missing/service.ts): handler is "handler.ts" but services/missing/handler.ts does not exist. Fix: create the file, or point handler at the file that exports `handler`',
    );
  });

  it('a handler without the handler export', () => {
    expect(messageOf(onDisk('misnamed'))).toBe(
      'Service definition "misnamed" (services/misnamed/service.ts): handler is "handler.ts", but services/misnamed/handler.ts does not export `handler` (it exports `default`, `handlr`). Fix: rename `handlr` to `handler`, or export the function Lambda calls as `export const handler = async (event) => { ... }`',
    );
  });

  it('a handler with a syntax error', () => {
    expect(messageOf(onDisk('broken'))).toBe(
      'Service definition "broken" (services/broken/service.ts): handler is "handler.ts", but services/broken/handler.ts does not compile: services/broken/handler.ts:3:15: Unexpected ":". Fix: correct it there (npx tsc --noEmit shows every error)',
    );
  });

  it('a handler importing a package that is not installed', () => {
    expect(messageOf(onDisk('needs-pad'))).toBe(
      'Service definition "needs-pad" (services/needs-pad/service.ts): handler is "handler.ts", but services/needs-pad/handler.ts imports "left-pad" (in services/needs-pad/lib/pad.ts:1), which is not installed, so the function cannot be bundled. Fix: npm install left-pad (a dependency: esbuild bundles it into the function), or remove the import',
    );
  });

  it('never runs the handler while checking it', () => {
    expect(() => messageOf(onDisk('direct'))).toThrow('the configuration validated');
  });
});
