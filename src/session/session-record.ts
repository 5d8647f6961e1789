/**
 * The session's own facts: its case, its limits, its status and deadlines. One row of JSON,
 * checked with a schema when read back; small enough to rewrite on every change.
 */
import { z } from "zod";
import { END_REASONS, SESSION_STATUSES } from "../shared/protocol";
import type { SessionInit } from "./contract";
import { SessionInitSchema } from "./contract";

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
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

export function newRecord(init: SessionInit): SessionRecord {
	return { ...init, status: "pending", startedAt: null, chatEndsAt: null, agentWaitEndsAt: null, previousAgent: null, endReason: null, endedAt: null };
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
