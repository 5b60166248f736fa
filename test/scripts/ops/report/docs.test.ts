import * as fs from 'node:fs';
import path from 'node:path';
import { HELP } from '../../../../scripts/ops/options';
import { harness, runOps } from '../harness';
import { buildHistory, model, type History } from './fixture';
import { serveHistory } from './serve';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const history = buildHistory();

async function report(argv: string[], served: History = history) {
  const h = harness();
  serveHistory(h, served);
  return { ...(await runOps(['report', ...argv], h, model)), h };
}

/** The lines of the fenced block of `markdown` that starts with `first`. */
function block(markdown: string, first: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(first);
  expect(start).toBeGreaterThan(0);
  return lines.slice(start, lines.indexOf('```', start));
}

/** A sample is the command line, the output's first lines, `...`, and maybe its last lines. */
function expectSample(sample: string[], command: string, out: string[]) {
  expect(sample[0]).toBe(`$ ${command}`);
  const cut = sample.indexOf('...');
  expect(cut).toBeGreaterThan(1);
  expect(sample.slice(1, cut)).toEqual(out.slice(0, cut - 1));
  const tail = sample.slice(cut + 1);
  expect(tail).toEqual(tail.length === 0 ? [] : out.slice(-tail.length));
}

describe('the documentation shows what the command prints', () => {
  let prod: string[];
  let all: string[];
  beforeAll(async () => {
    prod = (await report(['--stage', 'prod'])).out;
    all = (await report([])).out;
  });

  test('docs/operations.md: the sample and the excerpt of failures', () => {
    const docs = read('docs/operations.md');
    expectSample(
      block(docs, '$ npm run ops -- report --stage prod'),
      'npm run ops -- report --stage prod',
      prod,
    );
    // The excerpt: lines of the whole report, in its order.
    const excerpt = block(docs, '$ npm run ops -- report')
      .slice(1)
      .filter((l) => l !== '...');
    expect(excerpt.length).toBeGreaterThan(10);
    let from = 0;
    for (const line of excerpt) {
      const at = all.indexOf(line, from);
      expect({ line, found: at >= 0 }).toEqual({ line, found: true });
      from = at + 1;
    }
  });

  test('README: the command and the head of its output', () => {
    const readme = read('README.md');
    expect(readme).toMatch(/^npm run ops -- report .*# /m);
    expectSample(
      block(readme, '$ npm run ops -- report --stage prod'),
      'npm run ops -- report --stage prod',
      prod,
    );
  });

  test('the bad input lines', async () => {
    const docs = block(
      read('docs/operations.md'),
      'ops: unknown stage "qa": the stages (stages/index.ts) are dev, prod',
    );
    const empty: History = {
      executions: [],
      deployments: new Map(),
      targets: new Map(),
      verdicts: new Map(),
    };
    const lines = [
      (await report(['--stage', 'qa'])).err,
      (await report(['--since', '30'])).err,
      (await report(['--since', '400d'])).err,
      (await report(['--service', 'ledger'])).err,
      (await report([], empty)).err,
    ].flat();
    expect(docs).toEqual(lines);
  });

  test('the permissions: the IAM action of every call the command makes', async () => {
    const { h } = await report([]);
    const made = (['codepipeline', 'cloudformation', 'codedeploy', 'cloudwatch'] as const).flatMap(
      (client) => h.calls(client).map(([name]) => `${client}:${name}`),
    );
    const row = read('docs/operations.md')
      .split('\n')
      .find((l) => l.startsWith('| `report`'))!;
    const [, pipeline, environments] = row
      .split('|')
      .slice(1)
      .map((cell) => [...cell.matchAll(/`([a-z]+:[A-Za-z]+)`/g)].map((m) => m[1]));
    expect(new Set([...pipeline, ...environments])).toEqual(new Set(made));
    expect(pipeline.every((a) => a.startsWith('codepipeline:'))).toBe(true);
  });

  test('--help names the command, its options and its exit codes', () => {
    expect(HELP).toMatch(/^ {2}report {5}/m);
    for (const option of ['--since <when>', '--json', '--out <file>'])
      expect(HELP).toContain(option);
    expect(HELP).toContain('report exits 0 once it has printed,\n1 on bad input');
  });
});
