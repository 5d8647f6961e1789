/**
 * Limits on guessing: wrong support keys, invite links and agent tokens are counted per address.
 * Support keys and links are counted by the directory in the call that looks the key up (join.ts);
 * agent tokens are checked in the Worker, so a limiter object counts them, and attempts still
 * under way count too, so parallel requests cannot outrun the count.
 */
import type { Context } from "hono";
import { limiterOf } from "../bindings";
import type { Guesser } from "../directory/contract";
import type { AppEnv } from "./context";

export const WRONG_GUESS_LIMIT = 10;
export const WRONG_GUESS_WINDOW_MS = 15 * 60 * 1000;
/** How many attempts from one address may be under way at once, beyond the wrong ones. */
export const MAX_ATTEMPTS_UNDER_WAY = 20;

/** The caller's address; IPv6 by its /64, the block one subscriber usually holds. */
export function clientAddress(c: Context<AppEnv>): string {
	const ip = c.req.header("CF-Connecting-IP") ?? "local";
	return ip.includes(":") ? ip.split(":").slice(0, 4).join(":") + "::/64" : ip;
}

/** The caller as someone whose wrong tries count against the limit. */
export function guesser(c: Context<AppEnv>): Guesser {
	return { address: clientAddress(c), limit: WRONG_GUESS_LIMIT, windowMs: WRONG_GUESS_WINDOW_MS };
}

export function tooMany(c: Context<AppEnv>, error: string, retryAfterMs: number): Response {
	return c.json({ error }, 429, { "Retry-After": String(Math.ceil(retryAfterMs / 1000)) });
}

/**
 * Runs one guess checked outside any object under the address's limit: the attempt's result, or
 * a 429 response once the address has guessed wrong too often. `attempt` says whether it was wrong.
 */
export async function limitGuesses<T>(c: Context<AppEnv>, what: string, attempt: () => Promise<{ result: T; wrong: boolean }>): Promise<T | Response> {
	const limiter = limiterOf(c.env, `wrong-${what}:${clientAddress(c)}`);
	const start = await limiter.beginAttempt(WRONG_GUESS_LIMIT, WRONG_GUESS_WINDOW_MS, MAX_ATTEMPTS_UNDER_WAY);
	if (!start.allowed) return tooMany(c, `too many wrong ${what}s from this address: try again later`, start.retryAfterMs);
	let wrong = true;
	try {
		const outcome = await attempt();
		wrong = outcome.wrong;
		return outcome.result;
	} finally {
		const ended = limiter.endAttempt(start.attemptId, wrong, WRONG_GUESS_WINDOW_MS);
		// A wrong guess is counted before it is answered, so the next one meets the count; a right
		// one only stops counting as under way, which need not hold up its answer.
		if (wrong) await ended;
		else c.executionCtx.waitUntil(ended);
	}
}
