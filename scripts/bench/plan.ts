import type { BenchArgs } from './args';
import type { Variant } from './fixture';

/** A project size: N services, with the project's configuration or an example's. */
export interface Scenario {
  readonly services: number;
  /** A folder of the project with another configuration (see FixtureSpec.config). */
  readonly config?: string;
}

/**
 * How a fixture is synthesized: `cdk` runs `npx cdk synth` as the README says (timed, with
 * the bundles and the compliance gate); `structure` runs structure-synth.ts (no gate,
 * stand-in code), for the shape of the templates only, never for time.
 */
export type Mode = 'cdk' | 'structure';

export interface Job {
  readonly scenario: Scenario;
  readonly variant: Variant;
  readonly mode: Mode;
}

/** Sizes at which the limits table and the canary windows are reported. */
export const LIMIT_SIZES = [1, 10, 60, 200] as const;
/** App-vs-baseline comparisons by default, and with --full. */
export const QUICK_SIZES = [10] as const;
export const FULL_SIZES = [1, 10, 60, 200] as const;
/** The documented configuration with prod in three regions over two waves. */
export const WAVES_CONFIG = 'examples/three-region-prod';
export const WAVES_SCENARIO: Scenario = { services: 200, config: WAVES_CONFIG };

/** The same scenario, as a key. */
export function scenarioKey(s: Scenario): string {
  return s.config === undefined ? String(s.services) : `${s.services}@${s.config}`;
}

/**
 * What a run synthesizes, in order: first the timed comparisons, one at a time; then the
 * structure synths that give the limits and canary windows of the sizes not timed.
 */
export function planJobs(args: Pick<BenchArgs, 'full' | 'sizes'>): Job[] {
  const sizes = args.sizes ?? (args.full ? FULL_SIZES : QUICK_SIZES);
  const jobs: Job[] = sizes.flatMap((services) =>
    (['app', 'baseline'] as const).map((variant) => ({
      scenario: { services },
      variant,
      mode: 'cdk' as const,
    })),
  );
  if (args.full) jobs.push({ scenario: WAVES_SCENARIO, variant: 'app', mode: 'cdk' });
  for (const services of LIMIT_SIZES) {
    if (!sizes.includes(services)) {
      jobs.push({ scenario: { services }, variant: 'app', mode: 'structure' });
    }
  }
  if (args.full) jobs.push({ scenario: WAVES_SCENARIO, variant: 'baseline', mode: 'structure' });
  return jobs;
}
