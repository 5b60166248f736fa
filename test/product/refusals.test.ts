import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/project';

/**
 * docs/configuration.md, "Refusals": each sample message is one the code prints. The tests of
 * validation, loading and the scaffold assert every refusal on its exact text, so a sample
 * counts as real when its parts (between the "..." it elides) appear, in order and close
 * together, in one of those assertions. A message changed in the code changes its test, and
 * then this test finds the sample stale.
 */
const TESTS = [
  ...fs
    .readdirSync(path.join(ROOT, 'test', 'lib', 'config'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join('test', 'lib', 'config', f)),
  path.join('test', 'scripts', 'new-service.test.ts'),
  path.join('test', 'scripts', 'synthetic.test.ts'),
];

/** The tests' text with the escapes of string literals undone. */
const ASSERTED = TESTS.map((file) => fs.readFileSync(path.join(ROOT, file), 'utf8'))
  .join('\n')
  .replace(/\\([^\w\s])/g, '$1');

/** The inline code samples of the section: those long enough to be a message. */
function samples(): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');
  const section = text.slice(text.indexOf('## Refusals'));
  const end = section.indexOf('\n## ', 3);
  const body = end < 0 ? section : section.slice(0, end);
  return [...body.matchAll(/``(.+?)``|`([^`]+)`/g)]
    .map((m) => (m[1] ?? m[2]).trim())
    .filter((sample) => sample.length >= 40);
}

/** Whether the parts of a sample appear in order, each within `reach` of the one before. */
function asserted(sample: string, reach = 600): boolean {
  const parts = sample
    .split(/\.\.\.|…/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const tryFrom = (index: number, at: number): boolean => {
    if (index === parts.length) return true;
    let found = ASSERTED.indexOf(parts[index], at);
    while (found >= 0 && (index === 0 || found - at <= reach)) {
      if (tryFrom(index + 1, found + parts[index].length)) return true;
      if (index > 0) return false;
      found = ASSERTED.indexOf(parts[index], found + 1);
    }
    return false;
  };
  return tryFrom(0, 0);
}

test('the section shows sample messages', () => {
  expect(samples().length).toBeGreaterThan(25);
});

test.each(samples().map((s) => [s]))('is a message the code prints: %s', (sample) => {
  expect({ sample, asserted: asserted(sample) }).toEqual({ sample, asserted: true });
});
