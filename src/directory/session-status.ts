/**
 * Every session the directory has started, with the newest status its session reported. Reports
 * can cross on the way: each carries the session's last sequence number, and an older one is
 * ignored. It is also how a case finds all its live sessions (to resolve them together).
 */
import type { SessionChange } from "./contract";

export class SessionStatuses {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`
			CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL);
			CREATE INDEX IF NOT EXISTS sessions_by_case ON sessions (case_id);
		`);
	}

	started(sessionId: string, caseId: string): void {
		this.sql.exec("INSERT INTO sessions (session_id, case_id, status, version) VALUES (?, ?, 'pending', -1) ON CONFLICT (session_id) DO NOTHING", sessionId, caseId);
	}

	/** Records the change unless a newer one is already known; true if it was news. */
	accept(change: SessionChange): boolean {
		return (
			this.sql.exec(
				`INSERT INTO sessions (session_id, case_id, status, version) VALUES (?, ?, ?, ?)
				 ON CONFLICT (session_id) DO UPDATE SET status = excluded.status, version = excluded.version WHERE excluded.version >= sessions.version`,
				change.sessionId,
				change.caseId,
				change.status,
				change.version,
			).rowsWritten > 0
		);
	}

	/** The case's sessions that have not finished, as last reported. */
	liveOf(caseId: string): string[] {
		return this.sql
			.exec<{ session_id: string }>("SELECT session_id FROM sessions WHERE case_id = ? AND status IN ('pending', 'waiting', 'active')", caseId)
			.toArray()
			.map((row) => row.session_id);
	}

	/** Every session of the case, in the order they were started (SQLite's rowid is the insertion order). */
	ofCase(caseId: string): string[] {
		return this.sql
			.exec<{ session_id: string }>("SELECT session_id FROM sessions WHERE case_id = ? ORDER BY rowid", caseId)
			.toArray()
			.map((row) => row.session_id);
	}
}
