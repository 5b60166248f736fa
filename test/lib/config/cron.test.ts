import { isTimeZone, windowCronProblem } from '../../../lib/config/cron';

describe('deployment window cron expressions', () => {
  it.each([
    '* 0-59 9-16 ? * MON-FRI',
    '* * * ? * *',
    '* 0/15 9-17 ? JAN-MAR MON#2 2026',
    '* 0 0 L * ?',
    '* 0 0 15W * ?',
    '* 0 0 ? * 6L',
    '* 0,30 8,12,16 1-15 1,6 ? 2026-2030',
    '*  0-59   9-16 ? *  MON-FRI',
  ])('accepts %s', (cron) => {
    expect(windowCronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['* 60 9 ? * MON', 'has "60" in the minutes field: "60" is outside 0-59'],
    ['* 0 9 32 * ?', 'has "32" in the day-of-month field: "32" is outside 1-31'],
    ['* 0 9 ? 13 MON', 'has "13" in the month field: "13" is outside 1-12 or JAN-DEC'],
    ['* 0 9 ? * FUN', 'has "FUN" in the day-of-week field: "FUN" is outside 1-7 or SUN-SAT'],
    ['* 0 9 ? * MON 1969', 'has "1969" in the year field: "1969" is outside 1970-2199'],
    ['* 0/0 9 ? * MON', 'has "0/0" in the minutes field: a step must be 1 or more'],
    ['* 0--5 9 ? * MON', 'has "0--5" in the minutes field, which is not a value, range or step'],
    [
      '* 0 9 ? * ? ',
      'has "?" as day-of-month and "?" as day-of-week; exactly one of the two must be "?"',
    ],
    ['* * * * * * * *', 'has 8 fields'],
  ])('refuses %s', (cron, problem) => {
    expect(windowCronProblem(cron)).toContain(problem);
    expect(windowCronProblem(cron)).toContain('Fix: ');
  });
});

describe('deployment window time zones', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])(
    'accepts %s',
    (zone) => expect(isTimeZone(zone)).toBe(true),
  );

  it.each(['Europe/Berln', 'utc', 'CET+1', '+02:00', 'Mars/Olympus_Mons', ''])(
    'refuses %j',
    (zone) => expect(isTimeZone(zone)).toBe(false),
  );
});
