/**
 * A sliding-window counter per bucket name (one object per bucket: an address, a session, an
 * agent), so that limits hold across all the Worker's isolates.
 */
import { DurableObject } from "cloudflare:workers";
import type { RateDecision } from "./hit-log";
import { HitLog, decide } from "./hit-log";

export type AttemptStart = { allowed: true; attemptId: string } | { allowed: false; retryAfterMs: number };

/** An attempt whose end never arrived (its Worker died) stops counting after this long. */
const ATTEMPT_TIMEOUT_MS = 30_000;
/** Each object is one bucket. */
const BUCKET = "";

export class RateLimiter extends DurableObject {
	private readonly hits: HitLog;
	/** Attempts begun and not yet ended, by id, with when they began. */
	private readonly underWay = new Map<string, number>();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.hits = new HitLog(ctx.storage.sql);
	}

	/** Counts a hit if it is within the limit: one call, so parallel requests cannot slip past. */
	take(limit: number, windowMs: number): RateDecision {
		const now = Date.now();
		const decision = this.hits.check(BUCKET, limit, windowMs, now);
		if (decision.allowed) this.hits.add(BUCKET, windowMs, now);
		return decision;
	}

	/**
	 * Begins an attempt that may turn out wrong (a guessed agent token, checked outside this
	 * object). Attempts still under way count against the limit as if wrong, up to `maxUnderWay`
	 * beyond it, so a burst of parallel guesses cannot all pass the check before the first of them
	 * is counted.
	 */
	beginAttempt(limit: number, windowMs: number, maxUnderWay: number): AttemptStart {
		const now = Date.now();
		for (const [id, startedAt] of this.underWay) if (startedAt < now - ATTEMPT_TIMEOUT_MS) this.underWay.delete(id);
		const hits = this.hits.recent(BUCKET, windowMs, limit + maxUnderWay, now);
		const wrong = decide(hits, limit, windowMs, 0, now);
		if (!wrong.allowed) return wrong;
		const withUnderWay = decide(hits, limit + maxUnderWay, windowMs, this.underWay.size, now);
		if (!withUnderWay.allowed) return withUnderWay;
		const attemptId = crypto.randomUUID();
		this.underWay.set(attemptId, now);
		return { allowed: true, attemptId };
	}

	/** Ends an attempt; a wrong one is counted. */
	endAttempt(attemptId: string, wrong: boolean, windowMs: number): void {
		this.underWay.delete(attemptId);
		if (wrong) this.hits.add(BUCKET, windowMs, Date.now());
	}
}
