/**
 * A sliding-window counter per bucket name (one object per bucket: an address, a session, an
 * agent), so that limits hold across all the Worker's isolates. Hits are kept in SQLite so an
 * eviction does not reset a limit.
 */
import { DurableObject } from "cloudflare:workers";

export interface RateDecision {
	allowed: boolean;
	/** When the oldest counted hit leaves the window; 0 when allowed. */
	retryAfterMs: number;
}

export class RateLimiter extends DurableObject {
	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (at INTEGER NOT NULL)");
	}

	/** Whether another hit would be within the limit, without counting one. */
	check(limit: number, windowMs: number): RateDecision {
		const now = Date.now();
		this.ctx.storage.sql.exec("DELETE FROM hits WHERE at <= ?", now - windowMs);
		const rows = this.ctx.storage.sql.exec<{ at: number }>("SELECT at FROM hits ORDER BY at LIMIT ?", limit).toArray();
		if (rows.length < limit) return { allowed: true, retryAfterMs: 0 };
		return { allowed: false, retryAfterMs: Math.max(1, rows[0]!.at + windowMs - now) };
	}

	/** Counts a hit. */
	hit(): void {
		this.ctx.storage.sql.exec("INSERT INTO hits (at) VALUES (?)", Date.now());
	}

	/** Counts a hit if it is within the limit. */
	take(limit: number, windowMs: number): RateDecision {
		const decision = this.check(limit, windowMs);
		if (decision.allowed) this.hit();
		return decision;
	}
}
