/** The chats whose customer waits for an agent, longest wait first. */
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
		sql.exec("CREATE TABLE IF NOT EXISTS queue (session_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, waiting_since INTEGER NOT NULL, previous_agent TEXT)");
	}

	/** Puts the chat in the queue or takes it out, as the change says; true if the queue changed. */
	update(change: SessionChange): boolean {
		const written = change.queued
			? this.sql.exec(
					"INSERT INTO queue (session_id, case_id, waiting_since, previous_agent) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET previous_agent = excluded.previous_agent",
					change.sessionId,
					change.caseId,
					change.at,
					change.previousAgent,
				)
			: this.sql.exec("DELETE FROM queue WHERE session_id = ?", change.sessionId);
		return written.rowsWritten > 0;
	}

	list(): QueueEntry[] {
		return this.sql
			.exec(
				"SELECT q.session_id, q.case_id, c.subject, c.severity, q.waiting_since, q.previous_agent FROM queue q JOIN cases c ON c.case_id = q.case_id ORDER BY q.waiting_since",
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
