/**
 * When CloudWatch surely holds Lambda's metrics. Lambda sends its metrics to CloudWatch about a
 * minute after the invocations, and AWS's Lambda developer guide ("Viewing metrics for Lambda
 * functions") notes they can take longer to appear; this project allows for up to three
 * minutes, the bound measured most often, and never judges a minute before that time has
 * passed. A verdict on minutes CloudWatch does not hold yet would count too few calls: a
 * healthy low-traffic release would look quiet, and the last failures of a bad one would be
 * missing.
 */

/** One minute in milliseconds: Lambda's metrics are per minute. */
export const MINUTE_MS = 60_000;

/** The longest delay allowed for, from the end of a minute until CloudWatch holds it. */
export const METRIC_DELAY_MINUTES = 3;

/** The start of the minute of `ms`. */
export function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The start of the next minute, or `ms` itself when it starts a minute. */
export function ceilMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * The end (exclusive) of the minutes CloudWatch surely holds at `now`: every minute that ended
 * at least {@link METRIC_DELAY_MINUTES} ago.
 */
export function heldUntil(now: number): number {
  return floorMinute(now) - METRIC_DELAY_MINUTES * MINUTE_MS;
}

/** When CloudWatch surely holds the minute that starts at `minuteStart`. */
export function heldFrom(minuteStart: number): number {
  return floorMinute(minuteStart) + (1 + METRIC_DELAY_MINUTES) * MINUTE_MS;
}
