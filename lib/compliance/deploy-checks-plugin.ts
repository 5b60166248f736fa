import * as fs from 'fs';
import * as path from 'path';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { describeMeasurement, LIMITS, measureTemplate, type Measurement } from './aws-limits';
import { dependencyCycles } from './dependency-cycles';
import type { CfnTemplate } from './template-text';

/** Rule id of a dependency cycle in the validation report. */
export const CYCLE_RULE = 'cfn-dependency-cycle';
/** Name of the plugin in the validation report. */
export const DEPLOY_CHECKS = 'DeployChecks';

/** The measurements of every template checked, kept for the synth summary. */
export interface TemplateMeasurements {
  /** The stack's template file name, e.g. `lambdaservicesprodgreeterA1B2.template.json`. */
  readonly template: string;
  readonly measurements: readonly Measurement[];
}

/**
 * What CloudFormation, CodePipeline, Lambda, CloudWatch and IAM check only at deploy time,
 * checked at synth on every template of every stage: dependency cycles and the AWS limits of
 * `aws-limits.ts`. A cycle or a value over its limit is a violation in the gate's report, with
 * the count, the limit and the fix.
 */
export class DeployChecksPlugin implements IPolicyValidationPlugin {
  readonly name = DEPLOY_CHECKS;
  readonly version = '1.0.0';
  readonly ruleIds = [CYCLE_RULE, ...Object.values(LIMITS).map((l) => l.id)];
  /** Filled by `validate`: every template's measurements. */
  readonly measured: TemplateMeasurements[] = [];

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    const stackPaths = new Map(
      (context.stackTemplates ?? []).map((s) => [s.templatePath, s.stackConstructPath]),
    );
    for (const templatePath of context.templatePaths) {
      const text = fs.readFileSync(templatePath, 'utf8');
      const template = JSON.parse(text) as CfnTemplate;
      for (const loop of dependencyCycles(template)) {
        violations.push({
          ruleName: CYCLE_RULE,
          description: `CloudFormation would refuse this template: a dependency cycle ${[...loop, loop[0]].join(' → ')} (through Ref, Fn::GetAtt, Fn::Sub, DependsOn or UpdatePolicy references).`,
          fix: 'Break the loop: build a string ARN from names known at synth instead of referring to the resource, or drop a grant the resource does not need at create time.',
          severity: 'error',
          violatingResources: loop.map((logicalId) => ({
            resourceLogicalId: logicalId,
            templatePath,
            locations: ['Resources'],
          })),
        });
      }
      const measurements = measureTemplate(template, Buffer.byteLength(text));
      this.measured.push({ template: path.basename(templatePath), measurements });
      for (const m of measurements.filter((x) => x.value > x.rule.max)) {
        violations.push({
          ruleName: m.rule.id,
          description: `Over an AWS limit CloudFormation only meets at deploy time: ${m.rule.what}${m.subject ? ` (${m.subject})` : ''} is ${describeMeasurement(m)}.`,
          fix: m.rule.fix,
          severity: 'error',
          violatingResources: [
            m.logicalId
              ? {
                  resourceLogicalId: m.logicalId,
                  templatePath,
                  locations: [m.location ?? 'Resources'],
                }
              : {
                  constructPath: stackPaths.get(templatePath) ?? path.basename(templatePath),
                  templatePath,
                  locations: [m.location ?? 'Resources'],
                },
          ],
        });
      }
    }
    return { success: violations.length === 0, violations };
  }
}
