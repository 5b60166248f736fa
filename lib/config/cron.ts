/**
 * Checks the cron expression of a CodePipeline `DeploymentWindow` rule before it reaches AWS:
 * six fields separated by spaces (seconds, minutes, hours, day-of-month, month, day-of-week)
 * and an optional year. CodePipeline allows only `*` in the seconds field, and (as in every
 * Quartz-style cron) exactly one of day-of-month and day-of-week must be `?`.
 */

export const WINDOW_CRON_EXAMPLE = '* 0-59 9-16 ? * MON-FRI';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names that stand for numbers (JAN = 1, SUN = 1). */
  readonly names?: readonly string[];
  /** Whole-field forms allowed besides lists of values, ranges and steps. */
  readonly special?: RegExp;
}

const FIELDS: readonly Field[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|L-\d{1,2}|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7A-Z]{1,3}(L|#[1-5]))$/ },
  { name: 'year', min: 1970, max: 2199 },
];

const FIX = `Fix: write six fields and an optional year, e.g. "${WINDOW_CRON_EXAMPLE}" (every minute from 9:00 to 16:59, Monday to Friday)`;

/** Why `cron` is not a DeploymentWindow cron expression, or undefined when it is one. */
export function windowCronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (cron.trim().startsWith('cron(')) {
    return `is in the EventBridge format; a deployment window takes the expression alone, with a seconds field first. ${FIX}`;
  }
  if (fields.length < 6 || fields.length > 7) {
    return `has ${fields.length} field${fields.length === 1 ? '' : 's'}; a deployment window's cron has six (seconds minutes hours day-of-month month day-of-week) and an optional year. ${FIX}`;
  }
  if (fields[0] !== '*') {
    return `has "${fields[0]}" in the seconds field, where CodePipeline allows only "*". Fix: start the expression with "* ", e.g. "${WINDOW_CRON_EXAMPLE}"`;
  }
  for (let i = 1; i < fields.length; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i - 1]);
    if (problem) return `${problem}. ${FIX}`;
  }
  const [dayOfMonth, dayOfWeek] = [fields[3], fields[5]];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return `has "${dayOfMonth}" as day-of-month and "${dayOfWeek}" as day-of-week; exactly one of the two must be "?". ${FIX}`;
  }
  return undefined;
}

function fieldProblem(text: string, field: Field): string | undefined {
  if (field.special?.test(text)) return undefined;
  const bad = `has "${text}" in the ${field.name} field`;
  const range = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : ''}`;
  for (const item of text.split(',')) {
    const match = /^(\*|[^/-]+(?:-[^/-]+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) return `${bad}, which is not a value, range or step (allowed: ${range})`;
    const [, span, step] = match;
    if (step !== undefined && Number(step) < 1) return `${bad}: a step must be 1 or more`;
    if (span === '*') continue;
    for (const value of span.split('-')) {
      const n = valueOf(value, field);
      if (n === undefined || n < field.min || n > field.max) {
        return `${bad}: "${value}" is outside ${range}`;
      }
    }
  }
  return undefined;
}

function valueOf(value: string, field: Field): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const index = field.names?.indexOf(value.toUpperCase()) ?? -1;
  return index === -1 ? undefined : index + 1;
}

/** Whether `zone` is an IANA time zone (`Europe/Berlin`, `UTC`), as the runtime's Intl knows them. */
export function isTimeZone(zone: string): boolean {
  if (!/^(UTC|[A-Z][A-Za-z_-]*(\/[A-Za-z0-9_+-]+)+)$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA time zone the runtime knows, for "did you mean". */
export function timeZones(): readonly string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}
