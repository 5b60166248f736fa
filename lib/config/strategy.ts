/**
 * Deployment strategies as plain data, so that stage entries, validation, the plan and the
 * CDK constructs all read the same value. `lib/deployment-config.ts` turns one into a
 * CodeDeploy `ILambdaDeploymentConfig`.
 */

/** Every predefined CodeDeploy Lambda deployment configuration. */
export const PREDEFINED_CONFIGS = [
  'ALL_AT_ONCE',
  'CANARY_10PERCENT_5MINUTES',
  'CANARY_10PERCENT_10MINUTES',
  'CANARY_10PERCENT_15MINUTES',
  'CANARY_10PERCENT_30MINUTES',
  'LINEAR_10PERCENT_EVERY_1MINUTE',
  'LINEAR_10PERCENT_EVERY_2MINUTES',
  'LINEAR_10PERCENT_EVERY_3MINUTES',
  'LINEAR_10PERCENT_EVERY_10MINUTES',
] as const;

export type PredefinedConfigName = (typeof PREDEFINED_CONFIGS)[number];

export type DeploymentStrategy =
  | { readonly kind: 'predefined'; readonly name: PredefinedConfigName }
  | { readonly kind: 'canary'; readonly percentage: number; readonly intervalMinutes: number }
  | { readonly kind: 'linear'; readonly percentage: number; readonly intervalMinutes: number };

/** Constructors for the strategies a stage entry can name. */
export const Strategy = {
  /** Shift all traffic at once. */
  allAtOnce: (): DeploymentStrategy => ({ kind: 'predefined', name: 'ALL_AT_ONCE' }),
  /** Any predefined CodeDeploy Lambda configuration, by name. */
  predefined: (name: PredefinedConfigName): DeploymentStrategy => ({ kind: 'predefined', name }),
  /** A custom canary: `percentage` of traffic for `intervalMinutes`, then the rest. */
  canary: (percentage: number, intervalMinutes: number): DeploymentStrategy => ({
    kind: 'canary',
    percentage,
    intervalMinutes,
  }),
  /** A custom linear shift: `percentage` more traffic every `intervalMinutes`. */
  linear: (percentage: number, intervalMinutes: number): DeploymentStrategy => ({
    kind: 'linear',
    percentage,
    intervalMinutes,
  }),
} as const;

/** True when the strategy moves all traffic in one step. */
export function isAllAtOnce(strategy: DeploymentStrategy): boolean {
  return strategy.kind === 'predefined' && strategy.name === 'ALL_AT_ONCE';
}

/** A short human label: `ALL_AT_ONCE`, `CANARY_25PERCENT_5MINUTES`, ... */
export function strategyLabel(strategy: DeploymentStrategy): string {
  switch (strategy.kind) {
    case 'predefined':
      return strategy.name;
    case 'canary':
      return `CANARY_${strategy.percentage}PERCENT_${strategy.intervalMinutes}MINUTES`;
    case 'linear':
      return `LINEAR_${strategy.percentage}PERCENT_EVERY_${strategy.intervalMinutes}MINUTES`;
  }
}

/** How long the traffic shift takes, in minutes, from the first shift to 100%. */
export function strategyMinutes(strategy: DeploymentStrategy): number {
  if (strategy.kind === 'canary') return strategy.intervalMinutes;
  if (strategy.kind === 'linear') {
    return (Math.ceil(100 / strategy.percentage) - 1) * strategy.intervalMinutes;
  }
  const canary = /^CANARY_\d+PERCENT_(\d+)MINUTES$/.exec(strategy.name);
  if (canary) return Number(canary[1]);
  const linear = /^LINEAR_(\d+)PERCENT_EVERY_(\d+)MINUTES?$/.exec(strategy.name);
  if (linear) return (Math.ceil(100 / Number(linear[1])) - 1) * Number(linear[2]);
  return 0;
}
