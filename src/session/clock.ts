/**
 * The session's sense of time. Every decision takes `now` from it, so a test moves time by
 * swapping the clock of a live object instead of rewriting stored deadlines.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock `ms` ahead of another. */
export function shifted(clock: Clock, ms: number): Clock {
	return () => clock() + ms;
}
