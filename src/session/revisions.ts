/**
 * Edits and deletes of messages, on top of the event log. A revision is an event of its own
 * (`message_edited`, `message_deleted`) pointing at the message with `of`, so the log stays
 * append-only and numbered without gaps. What changes is only what the customer side is given on
 * replay: the text a later revision superseded (the message's, an earlier edit's) is blanked in
 * their view, as `supersededView` says; agents and the transcript keep every revision.
 */
import type { SessionEvent } from "../shared/protocol";
import { SessionEventSchema } from "../shared/protocol";
import { isWithheldJson } from "./event-log";
import { supersededView } from "./policy";

/** What a revision needs to know of the message it revises. */
export interface RevisionTarget {
	/** Who wrote it; only they may revise it. */
	actorId: string | null;
	deleted: boolean;
	/** Kept from the agent side (strict recording): its revisions are too. */
	withheld: boolean;
}

export class Revisions {
	constructor(private readonly sql: SqlStorage) {
		sql.exec(`
			CREATE TABLE IF NOT EXISTS revisions (seq INTEGER PRIMARY KEY, of INTEGER NOT NULL, kind TEXT NOT NULL);
			CREATE INDEX IF NOT EXISTS revisions_of ON revisions (of);
		`);
	}

	/** The message with this number, as a revision sees it; null if there is no such message. */
	target(seq: number): RevisionTarget | null {
		const row = this.sql.exec<{ actor_id: string | null; json: string; customer_json: string | null }>("SELECT actor_id, json, customer_json FROM events WHERE seq = ?", seq).toArray()[0];
		if (!row) return null;
		const event = parseEvent(row.customer_json ?? row.json);
		if (event?.type !== "message") return null;
		const deleted = this.sql.exec("SELECT 1 FROM revisions WHERE of = ? AND kind = 'delete'", seq).toArray().length > 0;
		return { actorId: row.actor_id, deleted, withheld: isWithheldJson(row.json) };
	}

	/** A revision was appended: what it supersedes leaves the customer side's view, and it is remembered for the next one. */
	recorded(event: SessionEvent): void {
		if (event.type !== "message_edited" && event.type !== "message_deleted") return;
		const superseded = [event.of, ...this.sql.exec<{ seq: number }>("SELECT seq FROM revisions WHERE of = ?", event.of).toArray().map((r) => r.seq)];
		for (const seq of superseded) {
			const row = this.sql.exec<{ json: string; customer_json: string | null }>("SELECT json, customer_json FROM events WHERE seq = ?", seq).toArray()[0];
			const seen = row ? parseEvent(row.customer_json ?? row.json) : null;
			if (seen) this.sql.exec("UPDATE events SET customer_json = ? WHERE seq = ?", JSON.stringify(supersededView("customer", seen)), seq);
		}
		this.sql.exec("INSERT INTO revisions (seq, of, kind) VALUES (?, ?, ?)", event.seq, event.of, event.type === "message_deleted" ? "delete" : "edit");
	}
}

function parseEvent(json: string): SessionEvent | null {
	const parsed = SessionEventSchema.safeParse(JSON.parse(json));
	return parsed.success ? parsed.data : null;
}
