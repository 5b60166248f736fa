import type { Resource } from './deployed-service';

/**
 * Evaluates a synthesized CloudWatch alarm against one minute of made-up Lambda traffic, the
 * way CloudWatch would: its metric (or its metric-math expression over its metrics) gives a
 * value, compared with the threshold. Enough of CloudWatch's metric math for the expressions
 * this project writes: numbers, metric ids, + - * /, comparisons, AND/OR, IF(c, a, b),
 * MAX([...]) and FILL(x, v).
 */

/** One version's traffic in a minute. */
export interface Traffic {
  readonly invocations: number;
  readonly errors: number;
  readonly p99: number;
  readonly throttles: number;
}

/** The minute: what the new version served, and what the old one did beside it. */
export interface Minute {
  readonly released: Traffic;
  readonly old: Traffic;
}

const METRIC: Record<string, keyof Traffic> = {
  Invocations: 'invocations',
  Errors: 'errors',
  Duration: 'p99',
  Throttles: 'throttles',
};

/** A metric's value: the new version's when it names an executed version, else the alias's. */
function metricValue(metricName: string, dimensions: { Name: string }[], minute: Minute): number {
  const key = METRIC[metricName];
  if (!key) throw new Error(`no made-up data for metric ${metricName}`);
  const versioned = dimensions.some((d) => d.Name === 'ExecutedVersion');
  if (versioned) return minute.released[key];
  return key === 'p99'
    ? Math.max(minute.released.p99, minute.old.p99)
    : minute.released[key] + minute.old[key];
}

/** Whether the alarm's condition holds in this minute (a breaching datapoint). */
export function breaches(alarm: Resource, minute: Minute): boolean {
  const p = alarm.Properties;
  const value = p.Metrics
    ? evaluateMetrics(p.Metrics, minute)
    : metricValue(p.MetricName, p.Dimensions ?? [], minute);
  const threshold = Number(p.Threshold);
  switch (p.ComparisonOperator) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      throw new Error(`unknown operator ${p.ComparisonOperator}`);
  }
}

interface Query {
  Id: string;
  Expression?: string;
  MetricStat?: { Metric: { MetricName: string; Dimensions?: { Name: string }[] } };
  ReturnData?: boolean;
}

function evaluateMetrics(queries: Query[], minute: Minute): number {
  const values = new Map<string, number>();
  for (const q of queries) {
    if (q.MetricStat) {
      values.set(
        q.Id,
        metricValue(q.MetricStat.Metric.MetricName, q.MetricStat.Metric.Dimensions ?? [], minute),
      );
    }
  }
  const returned = queries.find((q) => q.ReturnData !== false && q.Expression);
  if (!returned) {
    const only = queries.find((q) => q.ReturnData !== false)!;
    return values.get(only.Id)!;
  }
  return evaluate(String(returned.Expression), values);
}

type Token =
  { kind: 'num'; value: number } | { kind: 'id'; value: string } | { kind: 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|==|!=|[-+*/(),<>[\]])/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    const t = m[1];
    if (/^\d/.test(t)) tokens.push({ kind: 'num', value: Number(t) });
    else if (/^[A-Za-z_]/.test(t)) tokens.push({ kind: 'id', value: t });
    else tokens.push({ kind: 'op', value: t });
  }
  if (re.lastIndex < text.replace(/\s+$/, '').length) throw new Error(`cannot read ${text}`);
  return tokens;
}

/** Evaluates an expression; `values` holds the metric ids. */
export function evaluate(text: string, values: ReadonlyMap<string, number>): number {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const take = (op?: string) => {
    const t = tokens[i++];
    if (op && (t?.kind !== 'op' || t.value !== op)) throw new Error(`expected ${op} in ${text}`);
    return t;
  };
  const isOp = (...ops: string[]) => peek()?.kind === 'op' && ops.includes(peek()!.value as string);
  const isId = (...ids: string[]) => peek()?.kind === 'id' && ids.includes(peek()!.value as string);

  const or = (): number => {
    let v = and();
    while (isId('OR')) {
      take();
      const r = and();
      v = v || r ? 1 : 0;
    }
    return v;
  };
  const and = (): number => {
    let v = compare();
    while (isId('AND')) {
      take();
      const r = compare();
      v = v && r ? 1 : 0;
    }
    return v;
  };
  const compare = (): number => {
    const l = sum();
    if (isOp('>', '<', '>=', '<=', '==', '!=')) {
      const op = take().value;
      const r = sum();
      const result = {
        '>': l > r,
        '<': l < r,
        '>=': l >= r,
        '<=': l <= r,
        '==': l === r,
        '!=': l !== r,
      }[op as string];
      return result ? 1 : 0;
    }
    return l;
  };
  const sum = (): number => {
    let v = product();
    while (isOp('+', '-')) {
      const op = take().value;
      const r = product();
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const product = (): number => {
    let v = unary();
    while (isOp('*', '/')) {
      const op = take().value;
      const r = unary();
      v = op === '*' ? v * r : r === 0 ? NaN : v / r;
    }
    return v;
  };
  const unary = (): number => {
    if (isOp('-')) {
      take();
      return -unary();
    }
    return primary();
  };
  const args = (): number[] => {
    take('(');
    const list: number[] = [];
    if (isOp('[')) {
      take('[');
      list.push(or());
      while (isOp(',')) {
        take(',');
        list.push(or());
      }
      take(']');
    } else {
      list.push(or());
      while (isOp(',')) {
        take(',');
        list.push(or());
      }
    }
    take(')');
    return list;
  };
  const primary = (): number => {
    const t = take();
    if (!t) throw new Error(`unexpected end of ${text}`);
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t.kind === 'id') {
      if (t.value === 'IF') {
        const [c, a, b] = args();
        return c ? a : b;
      }
      if (t.value === 'MAX')
        return Math.max(...args().map((x) => (Number.isNaN(x) ? -Infinity : x)));
      if (t.value === 'FILL') {
        const [x, v] = args();
        return Number.isNaN(x) ? v : x;
      }
      if (!values.has(t.value)) throw new Error(`unknown id ${t.value} in ${text}`);
      return values.get(t.value)!;
    }
    throw new Error(`unexpected ${JSON.stringify(t)} in ${text}`);
  };
  const v = or();
  if (i !== tokens.length) throw new Error(`unexpected ${JSON.stringify(tokens[i])} in ${text}`);
  return v;
}
