/**
 * Hits per bucket in a sliding window, kept in the owning object's SQLite so that an eviction
 * does not reset a limit. The object is one thread: a check and the hit it then counts happen in
 * one call, so parallel requests cannot slip past a limit between the two.
 */
import { z } from "zod";

export type RateDecision = { allowed: true; retryAfterMs: 0 } | { allowed: false; retryAfterMs: number };

const HitRow = z.object({ at: z.number() });

/**
 * `table`: one table per window length, since adding a hit forgets every bucket's hits older than
 * its window. A name from the code, never from a request.
 */
export class HitLog {
	/**
	 * The newest hit's time, once read (null: none). The object is the table's only writer, so
	 * while it is older than a window, nothing is inside it and a check reads no SQLite: the usual
	 * case for a limit on wrong guesses, which right keys never add to.
	 */
	private newest: number | null | undefined;

	constructor(
		private readonly sql: SqlStorage,
		private readonly table: "hit_log" | "key_budget_hits" = "hit_log",
	) {
		sql.exec(`
			CREATE TABLE IF NOT EXISTS ${table} (bucket TEXT NOT NULL, at INTEGER NOT NULL);
			CREATE INDEX IF NOT EXISTS ${table}_by_bucket ON ${table} (bucket, at);
			CREATE INDEX IF NOT EXISTS ${table}_by_time ON ${table} (at);
		`);
	}

	/** The bucket's hits still inside the window, oldest first, at most `enough` of them. */
	private recent(bucket: string, windowMs: number, enough: number, now: number): number[] {
		return this.sql
			.exec(`SELECT at FROM ${this.table} WHERE bucket = ? AND at > ? ORDER BY at LIMIT ?`, bucket, now - windowMs, enough)
			.toArray()
			.map((row) => HitRow.parse(row).at);
	}

	private newestAt(): number | null {
		if (this.newest === undefined) this.newest = this.sql.exec<{ at: number | null }>(`SELECT max(at) AS at FROM ${this.table}`).one().at;
		return this.newest;
	}

	/** Whether the bucket has room for another hit within `limit` per window. */
	check(bucket: string, limit: number, windowMs: number, now: number): RateDecision {
		const newest = this.newestAt();
		if (newest === null || newest <= now - windowMs) return { allowed: true, retryAfterMs: 0 };
		const hits = this.recent(bucket, windowMs, limit, now);
		const oldest = hits[0];
		if (hits.length < limit || oldest === undefined) return { allowed: true, retryAfterMs: 0 };
		return { allowed: false, retryAfterMs: Math.max(1, oldest + windowMs - now) };
	}

	/** Counts a hit, and forgets every bucket's hits that have left the window. */
	add(bucket: string, windowMs: number, now: number): void {
		this.sql.exec(`DELETE FROM ${this.table} WHERE at <= ?`, now - windowMs);
		this.sql.exec(`INSERT INTO ${this.table} (bucket, at) VALUES (?, ?)`, bucket, now);
		this.newest = Math.max(this.newestAt() ?? now, now);
	}
}
