import { defaultApp } from '../helpers/default-app';
import { cfnLintVersion, lintErrors, templatesIn } from '../../scripts/lib/cfn-lint';

/**
 * AWS's own template linter (cfn-lint, the rules behind CloudFormation's checks) on every
 * template the project's app synthesizes: the pipeline stack and every stack of every stage.
 * It sees what the compliance gate does not, such as dependency cycles. Without the pinned
 * cfn-lint these tests fail and say how to install it.
 */
describe('cfn-lint', () => {
  test('the pinned cfn-lint is installed', () => {
    const { problem } = cfnLintVersion();
    expect(problem).toBeUndefined();
  });

  test('reports no error on any template of the app', () => {
    const templates = templatesIn(defaultApp().outdir);
    expect(templates.length).toBeGreaterThan(1);
    expect(lintErrors(templates)).toEqual([]);
  });
});
