import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AppModel } from '../../../lib/config/model';
import { Strategy } from '../../../lib/config/strategy';
import { validateApp } from '../../../lib/config/validate';
import {
  ApplicationStage,
  RELEASE_EXCEPTIONS_METADATA,
} from '../../../lib/pipeline/application-stage';
import { renderPipelineDoc } from '../../../lib/plan/markdown';
import { buildPlan } from '../../../lib/plan/plan';
import { renderPlanText } from '../../../lib/plan/text';
import { inlineCode } from '../../helpers/synth';
import { changed, stage } from '../config/fixtures';

/**
 * The reasons a stage entry gives for an exception to the rules of a stage that requires
 * approval are written for a reviewer: the plan, docs/pipeline.md and the stage's templates
 * show each with the services it covers.
 */
const UNTESTED = 'the partner API answers in live only, not in test';
const ALL_AT_ONCE = 'beta-two is a read-only lookup; a rollback takes seconds';

/** The fixture with `live` first (untested, with a reason) and beta-two all at once there. */
function withExceptions(): AppModel {
  return validateApp(
    changed((i) => {
      i.stages.reverse();
      const live = stage(i, 'live');
      live.untestedReason = UNTESTED;
      live.services = [
        'alpha',
        { name: 'beta-two', strategy: Strategy.allAtOnce(), allAtOnceReason: ALL_AT_ONCE },
      ];
    }),
  );
}

/** The fixture as it is: every rule kept. */
const plain = () => validateApp(changed(() => undefined));

test('npm run plan prints each exception with its services and reason', () => {
  const text = renderPlanText(buildPlan(withExceptions()));
  expect(text.split('\n').filter((l) => /^ {2}(untested|all at once) /.test(l))).toEqual([
    `  untested       alpha, beta-two: deployed by no stage before "live", though it requires approval; reason: "${UNTESTED}"`,
    `  all at once    beta-two: all traffic at once, no canary, though "live" requires approval; reason: "${ALL_AT_ONCE}"`,
  ]);
  expect(renderPlanText(buildPlan(plain()))).not.toMatch(/^ {2}(untested|all at once) /m);
});

test('docs/pipeline.md lists them under the stages and waves, and only when there are any', () => {
  const doc = renderPipelineDoc(buildPlan(withExceptions()));
  const rows = doc.split('\n').filter((l) => /^\| \w+ +\| (untested|all at once) +\|/.test(l));
  expect(rows).toEqual([
    expect.stringMatching(
      new RegExp(
        `^\\| live +\\| untested +\\| alpha, beta-two +\\| deployed by no stage before "live", though it requires approval +\\| ${UNTESTED} +\\|$`,
      ),
    ),
    expect.stringMatching(
      new RegExp(
        `^\\| live +\\| all at once +\\| beta-two +\\| all traffic at once, no canary, though "live" requires approval +\\| ${ALL_AT_ONCE} +\\|$`,
      ),
    ),
  ]);
  expect(doc.indexOf('Exceptions the stage entries declare')).toBeGreaterThan(
    doc.indexOf('## Stages and waves'),
  );
  expect(renderPipelineDoc(buildPlan(plain()))).not.toContain('Exceptions the stage entries');
});

test("the stage's templates carry them in their Metadata, each stack the exceptions of its services", () => {
  const model = withExceptions();
  const live = model.stages.find((s) => s.name === 'live')!;
  const app = new App();
  const appStage = new ApplicationStage(app, 'live', {
    stage: live,
    environment: live.waves[0].environments[0],
    code: inlineCode(),
  });
  const metadata = Object.fromEntries(
    appStage.serviceStacks.map((stack) => [
      stack.stackName,
      Template.fromStack(stack).toJSON().Metadata?.[RELEASE_EXCEPTIONS_METADATA],
    ]),
  );
  const untested = (service: string) => ({
    Rule: 'untested',
    Stage: 'live',
    Services: [service],
    Exception: 'deployed by no stage before "live", though it requires approval',
    Reason: UNTESTED,
  });
  expect(metadata).toEqual({
    'fixture-pipeline-live-alpha': [untested('alpha')],
    'fixture-pipeline-live-beta-two': [
      untested('beta-two'),
      {
        Rule: 'all-at-once',
        Stage: 'live',
        Services: ['beta-two'],
        Exception: 'all traffic at once, no canary, though "live" requires approval',
        Reason: ALL_AT_ONCE,
      },
    ],
  });

  const kept = plain().stages.find((s) => s.name === 'live')!;
  const keptStage = new ApplicationStage(new App(), 'live', {
    stage: kept,
    environment: kept.waves[0].environments[0],
    code: inlineCode(),
  });
  for (const stack of keptStage.serviceStacks) {
    expect(
      Template.fromStack(stack).toJSON().Metadata?.[RELEASE_EXCEPTIONS_METADATA],
    ).toBeUndefined();
  }
});
