import { closest } from '../../lib/config/describe-issue';
import { FULL_SIZES, QUICK_SIZES } from './plan';

/** The page `--write` rewrites, relative to the project root. */
export const BENCHMARKS_PAGE = 'docs/benchmarks.md';

/** The options of `npm run bench`. */
export interface BenchArgs {
  /** The 200-service comparisons and 200 services × 3 regions over 2 waves. */
  readonly full: boolean;
  /** Rewrite docs/benchmarks.md; without it the report goes to stdout only. */
  readonly write: boolean;
  /** Service counts of the timed comparisons, instead of the mode's own. */
  readonly sizes?: readonly number[];
  readonly help: boolean;
}

/** Largest service count the bench accepts (past 285, one stage no longer fits the design). */
export const MAX_SERVICES = 400;

export const USAGE = `Usage: npm run bench [-- --full [--write]] [--sizes 1,10]

Synthesizes throw-away copies of this project with N services, side by side with a naive
baseline, and prints synth time, peak memory, canary windows and the AWS limits each size is
nearest to.

  (default)     quick, about 2 minutes on two idle cores: app vs baseline timed with
                \`npx cdk synth\` at 10 services; canary windows and AWS limits at 1, 10, 60
                and 200 services (1, 60 and 200 from structure synths: no gate, stand-in code,
                which do not change the templates); the release judgement, 300 simulated
                releases per situation
  --full        app vs baseline timed at 1, 10, 60 and 200 services, and 200 services with
                prod in 3 regions over 2 waves, and 1000 simulated releases per situation
                (tens of minutes)
  --write       rewrite docs/benchmarks.md with the report: with --full only, since the page
                holds a full run's figures (nothing is written without it, nor after a
                failed synth)
  --sizes 1,10  the service counts of the app-vs-baseline comparison (1 to ${MAX_SERVICES})
  --help        this text`;

/** An option the bench does not take: the message names the fix. */
export class UsageError extends Error {}

const FLAGS = ['--full', '--write', '--sizes', '--help'];

/** Options that older versions of the bench took, with what replaced them. */
const RETIRED: Record<string, string> = {
  '--no-write': 'nothing is written unless you pass --write. Fix: drop --no-write',
  '--no-baseline':
    'every comparison runs against the baseline in the same run (ratios need it). Fix: drop --no-baseline',
};

export function parseArgs(argv: readonly string[]): BenchArgs {
  let full = false;
  let write = false;
  let help = false;
  let sizes: number[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') ? splitInline(arg) : [arg, undefined];
    if (flag !== '--sizes' && inline !== undefined) {
      throw new UsageError(
        `option ${flag} takes no value (got "${arg}"). Fix: write ${flag} alone`,
      );
    }
    switch (flag) {
      case '--full':
        full = true;
        break;
      case '--write':
        write = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--sizes': {
        const value = inline ?? argv[++i];
        if (value === undefined || value.startsWith('--')) {
          throw new UsageError('--sizes needs a list of service counts. Fix: e.g. --sizes 1,10');
        }
        sizes = parseSizes(value);
        break;
      }
      default: {
        if (RETIRED[flag]) throw new UsageError(`option ${flag} is gone: ${RETIRED[flag]}`);
        if (!flag.startsWith('-')) {
          throw new UsageError(
            `unexpected argument "${arg}". Fix: give service counts with --sizes, e.g. --sizes ${/^\d+$/.test(arg) ? arg : '1,10'}`,
          );
        }
        const guess = closest(flag, FLAGS);
        throw new UsageError(
          `unknown option "${flag}". Fix: ${guess ? `did you mean ${guess}? ` : ''}use ${FLAGS.join(', ')} (npm run bench -- --help)`,
        );
      }
    }
  }
  if (write && !help) refuseToReplaceFullRun(full, sizes);
  return { full, write, help, ...(sizes && { sizes }) };
}

/**
 * docs/benchmarks.md holds the figures of a full run, and the README quotes them: a run that
 * measures less (quick mode, other sizes) must not replace them.
 */
function refuseToReplaceFullRun(full: boolean, sizes: readonly number[] | undefined): void {
  if (!full) {
    throw new UsageError(
      `--write replaces ${BENCHMARKS_PAGE}, which holds the figures of a full run (the README quotes them); a quick run times ${QUICK_SIZES.join(', ')} services only and would replace the rest. Fix: npm run bench -- --full --write (tens of minutes), or drop --write to print the quick report`,
    );
  }
  if (sizes !== undefined && sizes.join(',') !== FULL_SIZES.join(',')) {
    throw new UsageError(
      `--write replaces ${BENCHMARKS_PAGE}, which holds the full run's sizes (${FULL_SIZES.join(', ')} services); --sizes ${sizes.join(',')} would replace them. Fix: drop --sizes, or drop --write to print the report`,
    );
  }
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function parseSizes(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  const bad = parts.find((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > MAX_SERVICES);
  if (bad !== undefined) {
    throw new UsageError(
      `--sizes has "${bad}", which is not a service count from 1 to ${MAX_SERVICES}. Fix: whole numbers separated by commas, e.g. --sizes 1,10,60`,
    );
  }
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}
