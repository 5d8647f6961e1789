/**
 * The chats whose customer waits for an agent, longest wait first. Each row carries the case's
 * subject and severity as the session reported them, so the queue may live in an object of its
 * own, apart from the cases (src/directory/shards.ts).
 */
import { z } from "zod";
import type { QueueEntry } from "../shared/queue";
import { SEVERITIES } from "../shared/protocol";
import type { SessionChange } from "./contract";

const QueueRowSchema = z.object({
	session_id: z.string(),
	case_id: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	waiting_since: z.number(),
	previous_agent: z.string().nullable(),
});

export class WaitingQueue {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(
			"CREATE TABLE IF NOT EXISTS queue (session_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, waiting_since INTEGER NOT NULL, previous_agent TEXT, subject TEXT NOT NULL DEFAULT '', severity TEXT NOT NULL DEFAULT 'normal')",
		);
		// A queue written before it kept the case's subject and severity gains the columns; its rows read them from the cases they belong to.
		const columns = new Set(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('queue')").toArray().map((row) => row.name));
		if (!columns.has("subject")) {
			sql.exec(`
				ALTER TABLE queue ADD COLUMN subject TEXT NOT NULL DEFAULT '';
				ALTER TABLE queue ADD COLUMN severity TEXT NOT NULL DEFAULT 'normal';
				UPDATE queue SET subject = coalesce((SELECT subject FROM cases WHERE cases.case_id = queue.case_id), ''), severity = coalesce((SELECT severity FROM cases WHERE cases.case_id = queue.case_id), 'normal');
			`);
		}
	}

	/** Puts the chat in the queue or takes it out, as the change says; true if the queue changed. */
	update(change: SessionChange): boolean {
		const written = change.queued
			? this.sql.exec(
					"INSERT INTO queue (session_id, case_id, waiting_since, previous_agent, subject, severity) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET previous_agent = excluded.previous_agent",
					change.sessionId,
					change.caseId,
					change.at,
					change.previousAgent,
					change.subject,
					change.severity,
				)
			: this.sql.exec("DELETE FROM queue WHERE session_id = ?", change.sessionId);
		return written.rowsWritten > 0;
	}

	list(): QueueEntry[] {
		return this.sql
			.exec(
				"SELECT session_id, case_id, subject, severity, waiting_since, previous_agent FROM queue ORDER BY waiting_since",
			)
			.toArray()
			.map((raw) => {
				const row = QueueRowSchema.parse(raw);
				return {
					sessionId: row.session_id,
					caseId: row.case_id,
					subject: row.subject,
					severity: row.severity,
					waitingSince: row.waiting_since,
					previousAgent: row.previous_agent,
				};
			});
	}
}
