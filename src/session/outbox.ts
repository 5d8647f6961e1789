/**
 * The session's durable outbox. Every side effect of a change (a status report to the directory,
 * the transcript to R2, ending the case's other sessions) is written here in the same SQLite step
 * as the change, then drained right after it and from the alarm until it is done. A try is leased
 * before it starts: if the object dies on the way, the alarm finds it due again, and because every
 * effect is idempotent, running it twice changes nothing. An effect the step's own drain tries at
 * once is written leased already, so that its first try costs no write of its own.
 *
 * The object is the table's only writer, so the rows are also kept in memory: the drain and the
 * alarm, which look at the outbox after every change, read no SQLite. A step that is rolled back
 * has the rows read again (`reload`).
 */
import { z } from "zod";

/** The first retry waits this long; each one after it twice as long, up to the maximum. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

export function retryDelayMs(attempt: number): number {
	return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
}

const RowSchema = z.object({ id: z.number(), coalesce_key: z.string().nullable(), payload: z.string(), attempts: z.number(), next_at: z.number() });

export interface OutboxEntry {
	id: number;
	payload: string;
	/** Tries started so far. */
	attempts: number;
	nextAt: number;
}

interface Row extends OutboxEntry {
	key: string | null;
}

export class Outbox {
	/** The table's rows by id; null until first asked for, and again after a rollback. */
	private rows: Map<number, Row> | null = null;

	constructor(private readonly sql: SqlStorage) {
		sql.exec(`CREATE TABLE IF NOT EXISTS outbox (
			id INTEGER PRIMARY KEY AUTOINCREMENT, coalesce_key TEXT UNIQUE, payload TEXT NOT NULL,
			attempts INTEGER NOT NULL, next_at INTEGER NOT NULL)`);
	}

	/** Forgets what memory held of the rows, after a step that wrote to them was rolled back. */
	reload(): void {
		this.rows = null;
	}

	/**
	 * Adds an effect: due at once, or with `tryingNow` (its first try starts now) written leased,
	 * counted and its retry scheduled. One with the same key replaces the one waiting: a newer status
	 * report supersedes an older one. The replaced row's try, if one is under way, then finishes
	 * without removing the new row.
	 */
	put(payload: string, now: number, key: string | null, tryingNow: boolean): OutboxEntry {
		const rows = this.all();
		if (key !== null) {
			for (const row of rows.values()) {
				if (row.key !== key) continue;
				this.sql.exec("DELETE FROM outbox WHERE id = ?", row.id);
				rows.delete(row.id);
			}
		}
		const attempts = tryingNow ? 1 : 0;
		const nextAt = tryingNow ? now + retryDelayMs(attempts) : now;
		const { id } = this.sql
			.exec<{ id: number }>("INSERT INTO outbox (coalesce_key, payload, attempts, next_at) VALUES (?, ?, ?, ?) RETURNING id", key, payload, attempts, nextAt)
			.one();
		rows.set(id, { id, key, payload, attempts, nextAt });
		return { id, payload, attempts, nextAt };
	}

	/** Rows whose next try is due, oldest first. */
	due(now: number): OutboxEntry[] {
		return [...this.all().values()]
			.filter((row) => row.nextAt <= now)
			.sort((a, b) => a.id - b.id)
			.map(({ id, payload, attempts, nextAt }) => ({ id, payload, attempts, nextAt }));
	}

	/** Starts a try: counted, and the next one scheduled, before anything is sent. Returns the entry as leased. */
	lease(entry: OutboxEntry, now: number): OutboxEntry {
		const attempts = entry.attempts + 1;
		const nextAt = now + retryDelayMs(attempts);
		this.sql.exec("UPDATE outbox SET attempts = ?, next_at = ? WHERE id = ?", attempts, nextAt, entry.id);
		const row = this.all().get(entry.id);
		if (row) Object.assign(row, { attempts, nextAt });
		return { ...entry, attempts, nextAt };
	}

	done(id: number): void {
		this.sql.exec("DELETE FROM outbox WHERE id = ?", id);
		this.all().delete(id);
	}

	/** When the next try is due; null when nothing waits. */
	nextAt(): number | null {
		let at: number | null = null;
		for (const row of this.all().values()) if (at === null || row.nextAt < at) at = row.nextAt;
		return at;
	}

	private all(): Map<number, Row> {
		if (this.rows) return this.rows;
		const rows = new Map<number, Row>();
		for (const raw of this.sql.exec("SELECT id, coalesce_key, payload, attempts, next_at FROM outbox").toArray()) {
			const row = RowSchema.parse(raw);
			rows.set(row.id, { id: row.id, key: row.coalesce_key, payload: row.payload, attempts: row.attempts, nextAt: row.next_at });
		}
		this.rows = rows;
		return rows;
	}
}
