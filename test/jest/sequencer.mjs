import { readFileSync } from 'fs';
import sequencerModule from '@jest/test-sequencer';

/** The CommonJS module's class, however the loader wraps it. */
const Sequencer = sequencerModule.default ?? sequencerModule;

/** A test whose doc comment says `@longest` (with why) is the longest of its tier by far. */
const LONGEST = /^\s*\*\s*@longest\b/m;
/** A test that imports a way to copy the project runs the real CLI on copies: long ones. */
const COPIES_THE_PROJECT = /from\s+'[./]+\/(helpers\/project-copy|scripts\/lib\/copy-project)'/;
/** A test that imports a value from aws-cdk-lib or a service module builds constructs itself. */
const BUILDS_CONSTRUCTS = /import\s+(?!type\s)[^;]*?\bfrom\s+'aws-cdk-lib(\/aws-[\w-]+)?'/;

/**
 * Runs a test marked `@longest` first, then the tests that copy the project, then the tests
 * that build constructs, then the rest; within each group, Jest's order (slowest by the last
 * run's timings, else largest file first). Both tiers use it: the first two groups are the
 * product tier's, the third holds most of the user tier's heavier files.
 *
 * On two workers: while one waits for the CLI's child processes, the other runs the construct
 * tests one after another, so that mostly it alone loads and compiles aws-cdk-lib (seconds per
 * worker), and the files that need no CDK fill both workers at the end. A cold cache has no
 * timings and the tests that copy the project are small files, so Jest alone would start them
 * last. (JavaScript, not TypeScript: Jest loads the sequencer without transforming it.)
 */
export default class LongestFirst extends Sequencer {
  sort(tests) {
    const group = (test) => {
      const text = readFileSync(test.path, 'utf8');
      if (LONGEST.test(text)) return 0;
      return COPIES_THE_PROJECT.test(text) ? 1 : BUILDS_CONSTRUCTS.test(text) ? 2 : 3;
    };
    const sorted = super.sort(tests).map((test) => ({ test, group: group(test) }));
    return [0, 1, 2, 3].flatMap((g) => sorted.filter((t) => t.group === g).map((t) => t.test));
  }
}
