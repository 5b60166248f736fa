import { evaluateAlarm } from '../../../runtime/model/alarm';
import {
  ceilMinute,
  floorMinute,
  heldFrom,
  heldUntil,
  MINUTE_MS,
} from '../../../runtime/model/metric-delay';
import {
  callsBeforeFullShift,
  shiftMinutes,
  shiftSteps,
  weightAt,
} from '../../../runtime/model/traffic-shift';
import { VERDICT_ALARM } from '../../../runtime/judge/verdict-metric';

const at = (h: number, m: number, s = 0) => Date.UTC(2026, 11, 4, h, m, s);

describe('when CloudWatch surely holds a minute', () => {
  test('three minutes after it ends', () => {
    expect(heldUntil(at(10, 7, 30))).toBe(at(10, 4));
    expect(heldUntil(at(10, 7))).toBe(at(10, 4));
    expect(heldFrom(at(10, 3))).toBe(at(10, 7));
    // The minute 10:03 is held from 10:07 on, and heldUntil agrees.
    expect(heldUntil(heldFrom(at(10, 3)))).toBe(at(10, 3) + MINUTE_MS);
    expect(heldUntil(heldFrom(at(10, 3)) - 1)).toBe(at(10, 3));
  });
  test('minute boundaries', () => {
    expect(floorMinute(at(10, 7, 59))).toBe(at(10, 7));
    expect(ceilMinute(at(10, 7, 1))).toBe(at(10, 8));
    expect(ceilMinute(at(10, 7))).toBe(at(10, 7));
  });
});

describe("CodeDeploy's traffic shift", () => {
  test('canary: the percentage for the interval, then 100%', () => {
    const canary = { kind: 'canary', percentage: 10, intervalMinutes: 10 } as const;
    expect(shiftSteps(canary)).toEqual([
      { atMinute: 0, weight: 0.1 },
      { atMinute: 10, weight: 1 },
    ]);
    expect(weightAt(canary, -1)).toBe(0);
    expect(weightAt(canary, 9.99)).toBe(0.1);
    expect(weightAt(canary, 10)).toBe(1);
    expect(shiftMinutes(canary)).toBe(10);
  });
  test('linear: a step every interval until 100%', () => {
    const linear = { kind: 'linear', percentage: 30, intervalMinutes: 2 } as const;
    expect(shiftSteps(linear).map((s) => [s.atMinute, s.weight])).toEqual([
      [0, 0.3],
      [2, 0.6],
      [4, 0.9],
      [6, 1],
    ]);
    expect(shiftMinutes(linear)).toBe(6);
    expect(shiftMinutes({ kind: 'all-at-once' })).toBe(0);
  });
  test('calls the new version serves before 100%, and those CloudWatch holds by then', () => {
    const canary = { kind: 'canary', percentage: 10, intervalMinutes: 10 } as const;
    expect(callsBeforeFullShift(canary, 50)).toBe(50);
    expect(callsBeforeFullShift(canary, 50, 4)).toBeCloseTo(30, 12);
    const linear = { kind: 'linear', percentage: 50, intervalMinutes: 5 } as const;
    expect(callsBeforeFullShift(linear, 100)).toBe(250);
  });
});

describe("CloudWatch's evaluation of the verdict alarm", () => {
  const points = (entries: [number, number][]) => new Map(entries);
  test('one rollback verdict in the last three minutes is enough, and it lasts three evaluations', () => {
    const verdicts = points([
      [100, 0],
      [101, 1],
    ]);
    expect(evaluateAlarm(VERDICT_ALARM, verdicts, 101)).toBe('OK');
    expect(evaluateAlarm(VERDICT_ALARM, verdicts, 102)).toBe('ALARM');
    expect(evaluateAlarm(VERDICT_ALARM, verdicts, 104)).toBe('ALARM');
    expect(evaluateAlarm(VERDICT_ALARM, verdicts, 105)).toBe('OK');
  });
  test('missing data is not breaching', () => {
    expect(evaluateAlarm(VERDICT_ALARM, new Map(), 50)).toBe('OK');
  });
});
