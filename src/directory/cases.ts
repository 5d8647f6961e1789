/** The directory's cases: one row each, with the latest session's status for the case list. */
import { z } from "zod";
import type { CaseRecord, CreateCase } from "../shared/api";
import { CustomerContactSchema } from "../shared/api";
import type { SessionStatus } from "../shared/protocol";
import { SESSION_STATUSES, SEVERITIES } from "../shared/protocol";
import type { Shard } from "./shards";
import { randomDigitsIn } from "./shards";

const CaseRowSchema = z.object({
	case_id: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	status: z.enum(["open", "resolved"]),
	customer: z.string(),
	created_at: z.number(),
	created_by: z.string(),
	last_activity_at: z.number(),
	session_id: z.string().nullable(),
	session_status: z.enum(SESSION_STATUSES).nullable(),
});

export class Cases {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`
			CREATE TABLE IF NOT EXISTS cases (
				case_id TEXT PRIMARY KEY, subject TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
				customer TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
				last_activity_at INTEGER NOT NULL, session_id TEXT, session_status TEXT);
			CREATE INDEX IF NOT EXISTS cases_by_activity ON cases (status, last_activity_at);
		`);
	}

	/** A new case, with an id whose digits name `shard`, the shard this is. */
	create(input: CreateCase, createdBy: string, now: number, shard: Shard): CaseRecord {
		let caseId: string;
		do caseId = `case-${randomDigitsIn(10, shard)}`;
		while (this.sql.exec("SELECT 1 FROM cases WHERE case_id = ?", caseId).toArray().length > 0);
		this.sql.exec(
			"INSERT INTO cases (case_id, subject, severity, status, customer, created_at, created_by, last_activity_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?)",
			caseId,
			input.subject,
			input.severity,
			JSON.stringify(input.customer),
			now,
			createdBy,
			now,
		);
		const record = this.get(caseId);
		if (!record) throw new Error("a case just written cannot be read");
		return record;
	}

	get(caseId: string): CaseRecord | null {
		const row = this.sql.exec("SELECT * FROM cases WHERE case_id = ?", caseId).toArray()[0];
		return row ? toCase(row) : null;
	}

	/** Open cases first, most recently active first. */
	list(limit: number): CaseRecord[] {
		return this.sql.exec("SELECT * FROM cases ORDER BY status = 'resolved', last_activity_at DESC LIMIT ?", limit).toArray().map(toCase);
	}

	resolve(caseId: string, at: number): void {
		this.sql.exec("UPDATE cases SET status = 'resolved', last_activity_at = ? WHERE case_id = ?", at, caseId);
	}

	/** The case's latest session is now this one. */
	sessionStarted(caseId: string, sessionId: string, now: number): void {
		this.sql.exec("UPDATE cases SET session_id = ?, session_status = 'pending', last_activity_at = ? WHERE case_id = ?", sessionId, now, caseId);
	}

	/** A session's status changed; the case list shows it if it is the case's latest session. */
	sessionStatus(caseId: string, sessionId: string, status: SessionStatus, at: number): void {
		this.sql.exec("UPDATE cases SET session_status = ?, last_activity_at = ? WHERE case_id = ? AND session_id = ?", status, at, caseId, sessionId);
		if (status === "resolved") this.sql.exec("UPDATE cases SET status = 'resolved' WHERE case_id = ?", caseId);
	}
}

function toCase(raw: Record<string, SqlStorageValue>): CaseRecord {
	const row = CaseRowSchema.parse(raw);
	return {
		caseId: row.case_id,
		subject: row.subject,
		severity: row.severity,
		status: row.status,
		customer: CustomerContactSchema.parse(JSON.parse(row.customer)),
		createdAt: row.created_at,
		createdBy: row.created_by,
		lastActivityAt: row.last_activity_at,
		session: row.session_id && row.session_status ? { sessionId: row.session_id, status: row.session_status } : null,
	};
}
