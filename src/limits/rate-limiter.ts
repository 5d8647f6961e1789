/**
 * A sliding-window counter per bucket name (one object per bucket: an address, a session, an
 * agent), so that limits hold across all the Worker's isolates. Hits are kept in SQLite so an
 * eviction does not reset a limit.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";

export type RateDecision = { allowed: true; retryAfterMs: 0 } | { allowed: false; retryAfterMs: number };
export type AttemptStart = { allowed: true; attemptId: string } | { allowed: false; retryAfterMs: number };

/** An attempt whose end never arrived (its Worker died) stops counting after this long. */
const ATTEMPT_TIMEOUT_MS = 30_000;
const HitRow = z.object({ at: z.number() });

export class RateLimiter extends DurableObject {
	/** Attempts begun and not yet ended, by id, with when they began. */
	private readonly underWay = new Map<string, number>();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (at INTEGER NOT NULL)");
	}

	/** Counts a hit if it is within the limit: one call, so parallel requests cannot slip past. */
	take(limit: number, windowMs: number): RateDecision {
		const decision = decide(this.recentHits(windowMs, limit), limit, windowMs, 0);
		if (decision.allowed) this.ctx.storage.sql.exec("INSERT INTO hits (at) VALUES (?)", Date.now());
		return decision;
	}

	/**
	 * Begins an attempt that may turn out wrong (a guessed key, a guessed token). Attempts still
	 * under way count against the limit as if wrong, up to `maxUnderWay` beyond it, so a burst of
	 * parallel guesses cannot all pass the check before the first of them is counted.
	 */
	beginAttempt(limit: number, windowMs: number, maxUnderWay: number): AttemptStart {
		const now = Date.now();
		for (const [id, startedAt] of this.underWay) if (startedAt < now - ATTEMPT_TIMEOUT_MS) this.underWay.delete(id);
		const hits = this.recentHits(windowMs, limit + maxUnderWay);
		const wrong = decide(hits, limit, windowMs, 0);
		if (!wrong.allowed) return wrong;
		const withUnderWay = decide(hits, limit + maxUnderWay, windowMs, this.underWay.size);
		if (!withUnderWay.allowed) return withUnderWay;
		const attemptId = crypto.randomUUID();
		this.underWay.set(attemptId, now);
		return { allowed: true, attemptId };
	}

	/** Ends an attempt; a wrong one is counted. */
	endAttempt(attemptId: string, wrong: boolean): void {
		this.underWay.delete(attemptId);
		if (wrong) this.ctx.storage.sql.exec("INSERT INTO hits (at) VALUES (?)", Date.now());
	}

	/** The hits still inside the window, oldest first, at most `enough` of them. */
	private recentHits(windowMs: number, enough: number): number[] {
		this.ctx.storage.sql.exec("DELETE FROM hits WHERE at <= ?", Date.now() - windowMs);
		return this.ctx.storage.sql.exec("SELECT at FROM hits ORDER BY at LIMIT ?", enough).toArray().map((row) => HitRow.parse(row).at);
	}
}

/** Whether `hits` (oldest first) plus `extra` attempts under way leave room within `limit`. */
function decide(hits: number[], limit: number, windowMs: number, extra: number): RateDecision {
	if (Math.min(hits.length, limit) + extra < limit) return { allowed: true, retryAfterMs: 0 };
	// Full of attempts still under way rather than counted hits: they end within seconds.
	const oldest = hits[0];
	return { allowed: false, retryAfterMs: oldest === undefined ? 1000 : Math.max(1, oldest + windowMs - Date.now()) };
}
