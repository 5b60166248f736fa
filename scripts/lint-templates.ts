/**
 * `npm run lint:templates [-- <cdk.out>]`: runs AWS's CloudFormation linter, cfn-lint (the
 * version package.json pins), on every template of a synthesized cloud assembly, the pipeline
 * stack and every stack of every stage: exactly those its manifest and the nested assemblies'
 * manifests list, not whatever else an earlier synth left in the folder. Exits 1 on any error
 * cfn-lint reports (warnings are printed), 2 when cfn-lint is missing or another version.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cfnLint, cfnLintVersion, templatesIn } from './lib/cfn-lint';

const dir = path.resolve(process.argv[2] ?? 'cdk.out');
if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
  console.error(`lint:templates: ${dir} holds no cloud assembly. Fix: run npx cdk synth first`);
  process.exit(2);
}
const { version, problem } = cfnLintVersion();
if (problem) {
  console.error(`lint:templates: ${problem}`);
  process.exit(2);
}
const templates = templatesIn(dir);
const matches = cfnLint(templates);
const errors = matches.filter((m) => m.level === 'Error');
for (const m of matches)
  console.error(`  ${m.level.toUpperCase()} ${m.rule} ${m.file}: ${m.message}`);
console.error(
  `${errors.length === 0 ? '✔' : '✖'} cfn-lint ${version}: ${errors.length} error(s), ${matches.length - errors.length} warning(s) in ${templates.length} template(s)`,
);
process.exitCode = errors.length === 0 ? 0 : 1;
