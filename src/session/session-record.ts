/**
 * The session's own facts: its case, its limits, its status and deadlines. One row of JSON,
 * checked with a schema when read back; small enough to rewrite on every change.
 */
import { z } from "zod";
import { END_REASONS, RECORDING_MODES, SESSION_STATUSES, isFinished } from "../shared/protocol";
import type { SessionInit } from "./contract";
import { SessionInitSchema } from "./contract";

const PersonSchema = z.object({ id: z.string(), name: z.string() });
/** An agent's offer of the chat to another agent, until the target answers or it expires (transfer.ts). */
const TransferOfferSchema = z.object({ from: PersonSchema, to: PersonSchema, offeredAt: z.number(), expiresAt: z.number() });
export type TransferOffer = z.infer<typeof TransferOfferSchema>;

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
	/** How often the invite link was reissued: devices that came in by an older one are revoked. */
	inviteGeneration: z.number().default(0),
	/** The transfer offered and not yet answered; the offering agent holds the chat until it is accepted. */
	transfer: TransferOfferSchema.nullable().default(null),
	recording: z.enum(RECORDING_MODES).default("show"),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

export function newRecord(init: SessionInit): SessionRecord {
	return { ...init, status: "pending", startedAt: null, chatEndsAt: null, agentWaitEndsAt: null, previousAgent: null, endReason: null, endedAt: null, inviteGeneration: 0, transfer: null, recording: init.recording ?? "show" };
}

/** The retry fields records had before the outbox; read once to carry their work over. */
const LegacySchema = z.object({
	status: z.enum(SESSION_STATUSES),
	transcriptWritten: z.boolean().optional(),
	reportRetryAt: z.number().nullable().optional(),
});

export class RecordStore {
	constructor(private readonly sql: SqlStorage) {
		sql.exec("CREATE TABLE IF NOT EXISTS session (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)");
	}

	/** The record, and the work it still had pending if it was written before the outbox (read from the same row). */
	load(): { record: SessionRecord; legacyRetries: Array<"transcript" | "report"> } | null {
		const row = this.sql.exec<{ json: string }>("SELECT json FROM session WHERE id = 1").toArray()[0];
		if (!row) return null;
		const json: unknown = JSON.parse(row.json);
		const record = SessionRecordSchema.parse(json);
		const legacy = LegacySchema.safeParse(json);
		const legacyRetries: Array<"transcript" | "report"> = [];
		if (legacy.success && legacy.data.transcriptWritten === false && isFinished(legacy.data.status)) legacyRetries.push("transcript");
		if (legacy.success && typeof legacy.data.reportRetryAt === "number") legacyRetries.push("report");
		return { record, legacyRetries };
	}

	save(record: SessionRecord): void {
		this.sql.exec("INSERT INTO session (id, json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json", JSON.stringify(record));
	}
}
