/**
 * A sliding-window counter per bucket name (one object per bucket: an address, a session, an
 * agent), so that limits hold across all the Worker's isolates.
 */
import { DurableObject } from "cloudflare:workers";
import type { RateDecision } from "./hit-log";
import { HitLog } from "./hit-log";
import { meterSql } from "../metering/sql-meter";

/** Each object is one bucket. */
const BUCKET = "";

export class RateLimiter extends DurableObject {
	private readonly hits: HitLog;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		meterSql(ctx, env, "RateLimiter");
		this.hits = new HitLog(ctx.storage.sql);
	}

	/** Whether the bucket has room for another hit, counting nothing. */
	peek(limit: number, windowMs: number): RateDecision {
		return this.hits.check(BUCKET, limit, windowMs, Date.now());
	}

	/** Counts a hit if it is within the limit: one call, so parallel requests cannot slip past. */
	take(limit: number, windowMs: number): RateDecision {
		const now = Date.now();
		const decision = this.hits.check(BUCKET, limit, windowMs, now);
		if (decision.allowed) this.hits.add(BUCKET, windowMs, now);
		return decision;
	}
}
