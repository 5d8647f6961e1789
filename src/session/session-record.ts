/**
 * The session's own facts: its case, its limits, its status and deadlines. One row of JSON,
 * checked with a schema when read back; small enough to rewrite on every change.
 */
import { z } from "zod";
import { END_REASONS, SESSION_STATUSES, SEVERITIES, isFinished } from "../shared/protocol";

export const SessionInitSchema = z.object({
	sessionId: z.string(),
	caseId: z.string(),
	subject: z.string(),
	severity: z.enum(SEVERITIES),
	customerName: z.string(),
	createdBy: z.string(),
	createdAt: z.number(),
	/** The invite token's secret: the session hands the link back to a customer who joined by key. */
	inviteSecret: z.string(),
	supportKey: z.string(),
	keyExpiresAt: z.number(),
	chatMaxMs: z.number(),
	disconnectWaitMs: z.number(),
});
export type SessionInit = z.infer<typeof SessionInitSchema>;

const SessionRecordSchema = SessionInitSchema.extend({
	status: z.enum(SESSION_STATUSES),
	/** When the end-user first joined: the 25-hour clock starts here. */
	startedAt: z.number().nullable(),
	chatEndsAt: z.number().nullable(),
	/** While the agent is away: when the chat ends unless the customer comes back. */
	agentWaitEndsAt: z.number().nullable(),
	previousAgent: z.string().nullable(),
	endReason: z.enum(END_REASONS).nullable(),
	endedAt: z.number().nullable(),
	transcriptWritten: z.boolean(),
	/** When to try the transcript again after R2 refused it. */
	transcriptRetryAt: z.number().nullable(),
	/** When to tell the directory again, should the report under way not arrive; null once it has. */
	reportRetryAt: z.number().nullable().default(null),
	/** Reports sent again in a row without arriving: each waits twice as long as the one before. */
	reportRetries: z.number().default(0),
	/** When the change being reported happened: a report sent again says when, not when it was resent. */
	reportChangedAt: z.number().nullable().default(null),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

export function isTerminal(record: SessionRecord): boolean {
	return isFinished(record.status);
}

export function newRecord(init: SessionInit): SessionRecord {
	return {
		...init,
		status: "pending",
		startedAt: null,
		chatEndsAt: null,
		agentWaitEndsAt: null,
		previousAgent: null,
		endReason: null,
		endedAt: null,
		transcriptWritten: false,
		transcriptRetryAt: null,
		reportRetryAt: null,
		reportRetries: 0,
		reportChangedAt: null,
	};
}

export class RecordStore {
	constructor(private readonly sql: SqlStorage) {
		sql.exec("CREATE TABLE IF NOT EXISTS session (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)");
	}

	load(): SessionRecord | null {
		const row = this.sql.exec<{ json: string }>("SELECT json FROM session WHERE id = 1").toArray()[0];
		return row ? SessionRecordSchema.parse(JSON.parse(row.json)) : null;
	}

	save(record: SessionRecord): void {
		this.sql.exec("INSERT INTO session (id, json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json", JSON.stringify(record));
	}
}

/** The deadlines that still matter for this record; the alarm is armed for the earliest. */
export function pendingDeadlines(record: SessionRecord): number[] {
	const deadlines: number[] = [];
	if (record.reportRetryAt !== null) deadlines.push(record.reportRetryAt);
	if (isTerminal(record)) {
		if (!record.transcriptWritten && record.transcriptRetryAt !== null) deadlines.push(record.transcriptRetryAt);
		return deadlines;
	}
	if (record.status === "pending") deadlines.push(record.keyExpiresAt);
	if (record.chatEndsAt !== null) deadlines.push(record.chatEndsAt);
	if (record.agentWaitEndsAt !== null) deadlines.push(record.agentWaitEndsAt);
	return deadlines;
}
