import * as fs from 'fs';
import * as path from 'path';
import { readFindings } from '../../lib/compliance/gate';
import { defaultApp } from '../helpers/default-app';

test('the whole app, pipeline and every stage stack, has zero unacknowledged findings', () => {
  const s = defaultApp(); // synthesized with the gate
  expect(s.synthError).toBeUndefined();
  expect(fs.existsSync(path.join(s.outdir, 'validation-report.json'))).toBe(true);
  expect(readFindings(s.outdir)).toEqual([]);
});
