import { UsageError } from '../../scripts/bench/args';
import {
  median,
  parseTimingArgs,
  SECTION,
  sectionOf,
  timingSection,
  withSection,
} from '../../scripts/bench/test-timing';
import { ROOT } from '../helpers/project';

const section = (text: string) => `${SECTION.start}\n${text}\n${SECTION.end}`;

test('median: the middle value, or the mean of the two middle ones', () => {
  expect(median([30, 10, 20])).toBe(20);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([7])).toBe(7);
  expect(() => median([])).toThrow('no values');
});

test('the section replaces the one a page holds, and is added to a page without one', () => {
  const page = `# Benchmarks\n\nbefore\n\n${section('old')}\n\nafter\n`;
  expect(withSection(page, section('new'))).toBe(
    `# Benchmarks\n\nbefore\n\n${section('new')}\n\nafter\n`,
  );
  expect(withSection('# Benchmarks\n\ntext\n', section('new'))).toBe(
    `# Benchmarks\n\ntext\n\n${section('new')}\n`,
  );
  expect(sectionOf(page)).toBe(section('old'));
  expect(sectionOf('# Benchmarks\n')).toBeUndefined();
});

test('the table has each run, the median wall time and the median CPU time', () => {
  const text = timingSection(
    [
      {
        label: '`npm test`',
        runs: [
          { seconds: 50, cpuSeconds: 80 },
          { seconds: 40, cpuSeconds: 70 },
          { seconds: 45, cpuSeconds: 90 },
        ],
      },
      { label: 'no CPU', runs: [{ seconds: 1 }] },
    ],
    ['a note'],
    'Machine: test',
  );
  expect(sectionOf(text)).toBe(text);
  expect(text).toContain('| `npm test` | 50.0, 40.0, 45.0 | 45.0 | 80.0 |');
  expect(text).toContain('| no CPU | 1.0 | 1.0 | – |');
  expect(text).toContain('\n- a note\n');
  expect(text).toContain('Machine: test');
});

test('options: an odd number of runs, a baseline checkout, --write', () => {
  expect(parseTimingArgs([])).toEqual({ runs: 3, write: false, help: false });
  expect(parseTimingArgs(['--runs', '5', '--write', '--baseline', ROOT])).toEqual({
    runs: 5,
    write: true,
    help: false,
    baseline: ROOT,
  });
  for (const [argv, message] of [
    [['--runs', '2'], '--runs needs an odd number of rounds, got "2"'],
    [['--baseline', '/nowhere'], '--baseline needs a folder holding another checkout'],
    [['--fast'], 'unknown argument "--fast"'],
  ] as const) {
    expect(() => parseTimingArgs(argv)).toThrow(UsageError);
    expect(() => parseTimingArgs(argv)).toThrow(message);
  }
});
