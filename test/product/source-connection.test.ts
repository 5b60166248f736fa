import { Match, Template } from 'aws-cdk-lib/assertions';
import { Strategy } from '../../lib/config/strategy';
import { appModel, serviceModel, stageModel } from '../helpers/model';
import { synthFast } from '../helpers/synth';

/** The pipeline's source action may use exactly the configured connection, by its own prefix. */
function pipelineTemplate(connectionArn: string): Template {
  const model = appModel([stageModel('qa', Strategy.allAtOnce(), [serviceModel('alpha')])]);
  const s = synthFast({ ...model, source: { ...model.source, connectionArn } });
  return Template.fromStack(s.pipelineStack);
}

const useConnection = (t: Template) =>
  Object.values(t.findResources('AWS::IAM::Policy'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((st: { Action: string | string[] }) =>
      [st.Action].flat().some((a) => a.endsWith(':UseConnection')),
    );

test('a codeconnections ARN is granted codeconnections:UseConnection on that ARN', () => {
  const arn =
    'arn:aws:codeconnections:eu-west-1:111111111111:connection/0a1b2c3d-0000-4000-8000-000000000001';
  const statements = useConnection(pipelineTemplate(arn));
  const actions = statements.flatMap((st: { Action: string | string[] }) => [st.Action].flat());
  expect(actions).toContain('codeconnections:UseConnection');
  for (const st of statements) expect(st.Resource).toBe(arn);
});

test('a codestar-connections ARN keeps the action of its own prefix only', () => {
  const arn =
    'arn:aws:codestar-connections:eu-west-1:111111111111:connection/0a1b2c3d-0000-4000-8000-000000000002';
  const t = pipelineTemplate(arn);
  expect(useConnection(t)).toEqual([
    { Action: 'codestar-connections:UseConnection', Effect: 'Allow', Resource: arn },
  ]);
  t.hasResourceProperties('AWS::CodePipeline::Pipeline', {
    Stages: Match.arrayWith([
      Match.objectLike({
        Name: 'Source',
        Actions: [Match.objectLike({ Configuration: Match.objectLike({ ConnectionArn: arn }) })],
      }),
    ]),
  });
});
