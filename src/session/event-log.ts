/**
 * The session's append-only event log in the object's SQLite. The object is single-threaded and
 * SQLite calls are synchronous, so numbering with lastSeq + 1 inside one call is gap-free. Each
 * event is stored as the exact JSON sent to clients, so replay and transcripts copy strings
 * instead of re-encoding. Which message ids each sender has used is held in memory, read from the
 * log once per wake: a unique index on them would double the rows every message writes, and rows
 * written are most of what a chat costs (W6, docs/performance.md).
 */
import type { Actor, EventBody, SessionEvent } from "../shared/protocol";
import type { RecordingMode } from "../shared/protocol";
import type { Side } from "./policy";
import { unattendedView, viewOf } from "./policy";

/** The end of a withheld event's JSON, as `unattendedView` makes it: the transcript leaves these out. */
const WITHHELD_END = '"type":"withheld"}';

export function isWithheldJson(json: string): boolean {
	return json.endsWith(WITHHELD_END);
}

export interface Appended {
	/** The event as written (`json` is what agents get of it, which strict recording may withhold). */
	event: SessionEvent;
	json: string;
	/** What the customer side sees of the event, where that is less than agents see; null where it is the same. */
	customerJson: string | null;
}

/** A message whose sender had already used its clientId: nothing was written. */
export interface Repeat {
	repeatOf: number;
}

export class EventLog {
	private last: number;
	/** Each sender's message ids, with the number each was stored under; null until a message needs them after a wake. */
	private ids: Map<string, Map<string, number>> | null = null;

	constructor(private readonly sql: SqlStorage) {
		// Sessions from before kept the ids in a unique index, which every message paid a row for.
		sql.exec(`
			CREATE TABLE IF NOT EXISTS events (
				seq INTEGER PRIMARY KEY, actor_id TEXT, client_id TEXT, json TEXT NOT NULL, customer_json TEXT);
			DROP INDEX IF EXISTS events_by_client_id;
		`);
		this.last = this.storedLast();
	}

	/** Reads the last number back from storage, after a step that wrote to the log was rolled back. */
	reload(): void {
		this.last = this.storedLast();
		this.ids = null;
	}

	private sentIds(): Map<string, Map<string, number>> {
		if (this.ids) return this.ids;
		const ids = new Map<string, Map<string, number>>();
		for (const row of this.sql.exec<{ seq: number; actor_id: string; client_id: string }>("SELECT seq, actor_id, client_id FROM events WHERE client_id IS NOT NULL")) {
			idsOf(ids, row.actor_id).set(row.client_id, row.seq);
		}
		this.ids = ids;
		return ids;
	}

	private storedLast(): number {
		return this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM events").one().seq ?? 0;
	}

	get lastSeq(): number {
		return this.last;
	}

	/** When this participant last wrote a message, as the log has it; null if never. */
	lastWrittenAt(actorId: string): number | null {
		const row = this.sql
			.exec<{ at: number | null }>("SELECT json_extract(json, '$.at') AS at FROM events WHERE actor_id = ? AND client_id IS NOT NULL ORDER BY seq DESC LIMIT 1", actorId)
			.toArray()[0];
		return row?.at ?? null;
	}

	/** `withheld`: written while no agent was in the chat, under strict recording: agents get only its place (`unattendedView`). */
	append(body: EventBody, actor: Actor | null, at: number, withheld = false): Appended {
		const full: SessionEvent = { seq: this.last + 1, at, actor, ...body };
		const event = withheld ? unattendedView("strict", full) : full;
		const json = JSON.stringify(event);
		const clientId = body.type === "message" ? body.clientId : null;
		const forCustomers = viewOf("customer", full);
		const customerJson = forCustomers === event ? null : JSON.stringify(forCustomers);
		this.sql.exec(
			"INSERT INTO events (seq, actor_id, client_id, json, customer_json) VALUES (?, ?, ?, ?, ?)",
			event.seq,
			actor?.id ?? null,
			clientId,
			json,
			customerJson,
		);
		this.last = event.seq;
		return { event: full, json, customerJson };
	}

	/** Appends a chat message unless its sender already used its clientId. A new message is one statement, writing one row. */
	appendMessage(actor: Actor, clientId: string, text: string, at: number, unattended: RecordingMode | null = null): Appended | Repeat {
		const used = idsOf(this.sentIds(), actor.id);
		const repeatOf = used.get(clientId);
		if (repeatOf !== undefined) return { repeatOf };
		const full: SessionEvent = { seq: this.last + 1, at, actor, type: "message", clientId, text, ...(unattended === null ? {} : { unattended: true as const }) };
		// Under strict recording the agents' copy is only the message's place; the customer side's is the message.
		const event = unattended === null ? full : unattendedView(unattended, full);
		const json = JSON.stringify(event);
		const customerJson = event === full ? null : JSON.stringify(full);
		this.sql.exec("INSERT INTO events (seq, actor_id, client_id, json, customer_json) VALUES (?, ?, ?, ?, ?)", event.seq, actor.id, clientId, json, customerJson);
		// Only once it is written: an insert that throws leaves the id unused.
		used.set(clientId, event.seq);
		this.last = event.seq;
		return { event: full, json, customerJson };
	}

	/** The sequence number already given to this sender's message id, if it was seen before. */
	seqOfClientId(actorId: string, clientId: string): number | null {
		return this.sentIds().get(actorId)?.get(clientId) ?? null;
	}

	/** How many chat messages the log holds: they are the only events with a client's id. */
	messageCount(): number {
		return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM events WHERE client_id IS NOT NULL").one().n;
	}

	/** Encoded events after `seq`, in order, at most `limit`, as one side of the chat sees them. */
	jsonAfter(seq: number, limit: number, audience: Side = "agent"): string[] {
		const column = audience === "customer" ? "coalesce(customer_json, json)" : "json";
		return this.sql
			.exec<{ json: string }>(`SELECT ${column} AS json FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
			.toArray()
			.map((row) => row.json);
	}
}

function idsOf(ids: Map<string, Map<string, number>>, actorId: string): Map<string, number> {
	let used = ids.get(actorId);
	if (!used) ids.set(actorId, (used = new Map()));
	return used;
}
