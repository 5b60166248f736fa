import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assemblyTemplates, pruneAssembly } from '../../lib/assembly-files';

/**
 * An output folder as two synths leave it: the last one's manifests, beside what the first one
 * wrote for a stage, a service and an asset that are gone.
 */
function outputFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-files-'));
  const files: Record<string, unknown> = {
    'manifest.json': {
      artifacts: {
        'pipe.assets': { type: 'cdk:asset-manifest', properties: { file: 'pipe.assets.json' } },
        pipe: {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: 'pipe.template.json' },
        },
        'assembly-pipe-qa': {
          type: 'cdk:cloud-assembly',
          properties: { directoryName: 'assembly-pipe-qa' },
        },
      },
    },
    'pipe.template.json': {},
    'pipe.assets.json': { files: { a: { source: { path: 'asset.kept', packaging: 'zip' } } } },
    'pipe.metadata.json': {},
    'tree.json': {},
    'validation-report.json': {},
    'asset.kept/index.js': '',
    'assembly-pipe-qa/manifest.json': {
      artifacts: {
        alpha: {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: 'alpha.template.json' },
        },
        'alpha.assets': { type: 'cdk:asset-manifest', properties: { file: 'alpha.assets.json' } },
      },
    },
    'assembly-pipe-qa/alpha.template.json': {},
    'assembly-pipe-qa/alpha.assets.json': {
      files: { b: { source: { path: '../asset.nested', packaging: 'zip' } } },
    },
    'asset.nested/index.js': '',
    // Left by the earlier synth:
    'assembly-pipe-qa/removed.template.json': {},
    'assembly-pipe-qa/removed.assets.json': {},
    'assembly-pipe-qa/removed.metadata.json': {},
    'assembly-pipe-gone/manifest.json': { artifacts: {} },
    'assembly-pipe-gone/beta.template.json': {},
    'asset.old/index.js': '',
    'cross-region-stack-1:eu-west-1.template.json': {},
    // Not the CDK's: never touched.
    'smoke/qa-wave1.json': {},
    'bundles/alpha/index.js': '',
    'buildspec-abc-FileAsset.yaml': '',
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(
      path.join(dir, file),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  }
  return dir;
}

/** Every file and folder under `dir`, relative. */
function tree(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

test('the templates are the ones the manifests list, nested assemblies included', () => {
  const dir = outputFolder();
  expect(
    assemblyTemplates(dir).map((t) => path.relative(dir, t).split(path.sep).join('/')),
  ).toEqual(['assembly-pipe-qa/alpha.template.json', 'pipe.template.json']);
  expect(assemblyTemplates(path.join(dir, 'nowhere'))).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('pruning removes what the manifests do not list, and nothing else', () => {
  const dir = outputFolder();
  const before = tree(dir);
  expect(pruneAssembly(dir)).toEqual([
    'assembly-pipe-gone',
    'assembly-pipe-qa/removed.assets.json',
    'assembly-pipe-qa/removed.metadata.json',
    'assembly-pipe-qa/removed.template.json',
    'asset.old',
    'cross-region-stack-1:eu-west-1.template.json',
  ]);
  const removed = before.filter((f) => !tree(dir).includes(f));
  expect(removed).toEqual([
    'assembly-pipe-gone',
    'assembly-pipe-gone/beta.template.json',
    'assembly-pipe-gone/manifest.json',
    'assembly-pipe-qa/removed.assets.json',
    'assembly-pipe-qa/removed.metadata.json',
    'assembly-pipe-qa/removed.template.json',
    'asset.old',
    'asset.old/index.js',
    'cross-region-stack-1:eu-west-1.template.json',
  ]);
  // What is left is exactly what the manifests list, and the files that are not the CDK's.
  expect(pruneAssembly(dir)).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a folder without a manifest is left as it is', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-files-'));
  fs.mkdirSync(path.join(dir, 'assembly-x'));
  expect(pruneAssembly(dir)).toEqual([]);
  expect(tree(dir)).toEqual(['assembly-x']);
  fs.rmSync(dir, { recursive: true, force: true });
});
