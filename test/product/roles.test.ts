import * as fs from 'fs';
import * as path from 'path';
import { readIamApp } from '../../scripts/iam/app';
import { permissionsTable } from '../../scripts/iam/docs';
import { roleExpectations } from '../../scripts/iam/expectations';
import { defaultApp } from '../helpers/default-app';
import { ROOT } from '../helpers/project';

/**
 * docs/operations.md, "What each role may do", is what the IAM check finds the synthesized
 * policies allow (the check proves they allow those calls and nothing more). Generated from the
 * sample configuration: a product test (a user's own configuration may use fewer kinds of role).
 */
jest.setTimeout(120_000);

const rows = (markdown: string) =>
  markdown
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim())
        .join(' | '),
    );

test('the permissions table of docs/operations.md is the one the synthesized app gives', async () => {
  const app = defaultApp();
  const expected = await permissionsTable(roleExpectations(app.model, readIamApp(app.outdir)));
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
  const block = /<!-- roles:start -->([\s\S]*?)<!-- roles:end -->/.exec(doc);
  expect(block).not.toBeNull();
  expect(rows(block![1])).toEqual(rows(expected));
  expect(expected).not.toContain('NO REASON');
});
