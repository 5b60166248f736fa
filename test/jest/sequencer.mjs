import { readFileSync } from 'fs';
import { dirname, join, sep } from 'path';
import { fileURLToPath } from 'url';
import sequencerModule from '@jest/test-sequencer';

/** The CommonJS module's class, however the loader wraps it. */
const Sequencer = sequencerModule.default ?? sequencerModule;

/** Tests that run the real CLI in child processes: the longest files by far. */
const CLI_TESTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin') + sep;
/** A test that imports a value from aws-cdk-lib or a service module builds constructs itself. */
const BUILDS_CONSTRUCTS = /import\s+(?!type\s)[^;]*?\bfrom\s+'aws-cdk-lib(\/aws-[\w-]+)?'/;

/**
 * Runs the CLI tests first, then the tests that build constructs, then the rest; within each
 * group, Jest's order (slowest by the last run's timings, else largest file first).
 *
 * On two workers: while one waits for the CLI's child processes, the other runs the construct
 * tests one after another, so that mostly it alone loads and compiles aws-cdk-lib (seconds per
 * worker), and the files that need no CDK fill both workers at the end. A cold cache has no
 * timings and the CLI tests are small files, so Jest alone would start them last. (JavaScript,
 * not TypeScript: Jest loads the sequencer without transforming it.)
 */
export default class CliThenConstructsFirst extends Sequencer {
  sort(tests) {
    const group = (test) =>
      test.path.startsWith(CLI_TESTS)
        ? 0
        : BUILDS_CONSTRUCTS.test(readFileSync(test.path, 'utf8'))
          ? 1
          : 2;
    const sorted = super.sort(tests).map((test) => ({ test, group: group(test) }));
    return [0, 1, 2].flatMap((g) => sorted.filter((t) => t.group === g).map((t) => t.test));
  }
}
