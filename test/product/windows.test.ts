import * as fs from 'node:fs';
import * as path from 'node:path';
import { windowCronProblem } from '../../lib/config/cron';

/**
 * Every deployment window the documents and the sample show is one the configuration accepts
 * (and so one CodePipeline's DeploymentWindow rule takes): a reader who copies it gets a working
 * stage entry.
 */
const ROOT = path.resolve(__dirname, '..', '..');

function files(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).map((f) => path.join('docs', f));
  const stages = fs.readdirSync(path.join(ROOT, 'stages')).map((f) => path.join('stages', f));
  return ['README.md', ...docs, ...stages].filter((f) => /\.(md|ts)$/.test(f));
}

/** `cron: '…'` in code, and the windows the ops samples print (`deployment window …`). */
function windowsIn(text: string): string[] {
  const found = [...text.matchAll(/cron: '([^']+)'/g)].map((m) => m[1]);
  found.push(...[...text.matchAll(/deployment window (\S+(?: \S+){5,6}) \(/g)].map((m) => m[1]));
  found.push(
    ...[...text.matchAll(/deployment window (\S+(?: \S+){5,6}) [A-Z][a-z]+\/[A-Za-z_]+\)/g)].map(
      (m) => m[1],
    ),
  );
  return found;
}

test('the documents and the sample show deployment windows', () => {
  const all = files().flatMap((f) => windowsIn(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  // README, the configuration reference, the operations samples and the prod stage entry.
  expect(all.length).toBeGreaterThanOrEqual(3);
});

test.each(files())('every deployment window in %s passes the validator', (file) => {
  for (const cron of windowsIn(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
    expect({ cron, problem: windowCronProblem(cron) }).toEqual({ cron, problem: undefined });
  }
});

test('no document shows the EventBridge form as a window', () => {
  for (const file of files()) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    // The configuration reference names the form only to say it is not the one.
    const uses = [...text.matchAll(/cron\((?!\.\.\.)[^)]*\)/g)].map((m) => m[0]);
    expect({ file, uses }).toEqual({ file, uses: [] });
  }
});
