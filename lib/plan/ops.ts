/** The command that operates a release (scripts/ops/main.ts). */
export const OPS = 'npm run ops --';

/** The `npm run ops` command lines for one stage, as docs/operations.md explains them. */
export interface StageOps {
  /** Every environment of the stage, by wave. */
  readonly status: string;
  /** Follows a release through the stage's waves. */
  readonly watch: string;
  /** Stops a canary in progress with rollback (CodeDeploy StopDeployment). */
  readonly stop: string;
  /**
   * Rolls a finished release back through the pipeline (CodePipeline RollbackStage): one
   * command per wave, the last wave first, the order to run them in.
   */
  readonly rollback: readonly string[];
  /** Lets a release waiting at the entry condition in (OverrideStageCondition); only with one. */
  readonly override?: string;
}

/**
 * The commands for a stage. `stop` names the service when the stage runs one, else a
 * placeholder; `rollback` names the wave when the stage has several.
 */
export function stageOps(stage: {
  readonly name: string;
  readonly waves: readonly { readonly index: number }[];
  readonly services: readonly { readonly name: string }[];
  readonly hasEntryCondition: boolean;
}): StageOps {
  const at = `--stage ${stage.name}`;
  const service = stage.services.length === 1 ? stage.services[0].name : '<service>';
  const waves = [...stage.waves].reverse();
  return {
    status: `${OPS} status ${at}`,
    watch: `${OPS} watch ${at}`,
    stop: `${OPS} stop ${at} --service ${service}`,
    rollback:
      stage.waves.length === 1
        ? [`${OPS} rollback ${at}`]
        : waves.map((w) => `${OPS} rollback ${at} --wave ${w.index}`),
    ...(stage.hasEntryCondition && { override: `${OPS} override ${at}` }),
  };
}
