import { targetEnvVar } from '../../../runtime/synthetic/target-env';

describe('targetEnvVar', () => {
  it.each([
    ['greeter', 'SYNTHETIC_TARGET_GREETER'],
    ['order-history', 'SYNTHETIC_TARGET_ORDER_HISTORY'],
    ['a1-b2-c3', 'SYNTHETIC_TARGET_A1_B2_C3'],
  ])('maps %s to %s', (name, variable) => {
    expect(targetEnvVar(name)).toBe(variable);
  });

  it.each(['', 'Greeter', 'order_history', '-x', 'x-', 'a--b', '1st'])(
    'rejects the invalid service name "%s"',
    (name) => {
      expect(() => targetEnvVar(name)).toThrow('is not a valid service name');
    },
  );
});
