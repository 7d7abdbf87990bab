/**
 * Slack signs `v0:<timestamp>:<body>` and says to refuse a timestamp more than five minutes from now.
 * Bolt refuses only the past; a signed request dated in the future would stay replayable until that date,
 * so this refuses it before Bolt sees it. Missing or malformed timestamps are left to Bolt, which refuses them.
 */

/** Slack's tolerance, both ways. */
export const TIMESTAMP_TOLERANCE_S = 5 * 60;

/** Undefined when the timestamp is acceptable (or not a number); otherwise why it is refused. */
export function futureTimestampProblem(header: string | string[] | undefined, nowMs: number): string | undefined {
  const value = Number(Array.isArray(header) ? header[0] : header);
  if (header === undefined || !Number.isFinite(value)) return undefined;
  const aheadS = value - nowMs / 1000;
  if (aheadS <= TIMESTAMP_TOLERANCE_S) return undefined;
  return `x-slack-request-timestamp is ${Math.round(aheadS)} s in the future; at most ${TIMESTAMP_TOLERANCE_S} s is accepted`;
}
