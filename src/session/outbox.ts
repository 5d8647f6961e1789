/**
 * The session's durable outbox. Every side effect of a change (a status report to the directory,
 * the transcript to R2, ending the case's other sessions) is written here in the same SQLite step
 * as the change, then drained right after it and from the alarm until it is done. A try is leased
 * before it starts: if the object dies on the way, the alarm finds it due again, and because every
 * effect is idempotent, running it twice changes nothing.
 */
import { z } from "zod";

/** The first retry waits this long; each one after it twice as long, up to the maximum. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

export function retryDelayMs(attempt: number): number {
	return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
}

const RowSchema = z.object({ id: z.number(), payload: z.string(), attempts: z.number(), next_at: z.number() });

export interface OutboxEntry {
	id: number;
	payload: string;
	/** Tries started so far. */
	attempts: number;
	nextAt: number;
}

export class Outbox {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`CREATE TABLE IF NOT EXISTS outbox (
			id INTEGER PRIMARY KEY AUTOINCREMENT, coalesce_key TEXT UNIQUE, payload TEXT NOT NULL,
			attempts INTEGER NOT NULL, next_at INTEGER NOT NULL)`);
	}

	/**
	 * Adds an effect, due at once. One with the same key replaces the one waiting: a newer status
	 * report supersedes an older one. The replaced row's try, if one is under way, then finishes
	 * without removing the new row.
	 */
	put(payload: string, now: number, key: string | null = null): void {
		if (key !== null) this.sql.exec("DELETE FROM outbox WHERE coalesce_key = ?", key);
		this.sql.exec("INSERT INTO outbox (coalesce_key, payload, attempts, next_at) VALUES (?, ?, 0, ?)", key, payload, now);
	}

	due(now: number): OutboxEntry[] {
		return this.sql
			.exec("SELECT id, payload, attempts, next_at FROM outbox WHERE next_at <= ? ORDER BY id", now)
			.toArray()
			.map((raw) => {
				const row = RowSchema.parse(raw);
				return { id: row.id, payload: row.payload, attempts: row.attempts, nextAt: row.next_at };
			});
	}

	/** Starts a try: counted, and the next one scheduled, before anything is sent. */
	lease(entry: OutboxEntry, now: number): void {
		const attempts = entry.attempts + 1;
		this.sql.exec("UPDATE outbox SET attempts = ?, next_at = ? WHERE id = ?", attempts, now + retryDelayMs(attempts), entry.id);
	}

	done(id: number): void {
		this.sql.exec("DELETE FROM outbox WHERE id = ?", id);
	}

	/** When the next try is due; null when nothing waits. */
	nextAt(): number | null {
		return this.sql.exec<{ at: number | null }>("SELECT min(next_at) AS at FROM outbox").one().at;
	}
}
