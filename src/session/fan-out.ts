/**
 * What a session's sockets hear: stored events encoded once for each side, a backlog replayed in
 * batches, and who is in the chat (presence). Socket bookkeeping itself is `Connections`.
 */
import type { Actor, ParticipantView, ServerFrame } from "../shared/protocol";
import { LIMITS, SERVER } from "../shared/protocol";
import type { Connections } from "../sockets/connections";
import type { Appended, EventLog } from "./event-log";
import { visibleDeadlines } from "./lifecycle";
import { sideOf } from "./policy";
import type { People } from "./people";
import type { Roster } from "./roster";
import type { SessionRecord } from "./session-record";

export class FanOut {
	constructor(
		private readonly sockets: Connections<Actor>,
		private readonly log: EventLog,
		private readonly roster: Roster,
		private readonly people?: People,
	) {}

	/** Fans out a stored event, encoded once for each side of the chat. */
	publish({ json, customerJson }: Appended): void {
		const frame = eventsFrame(json);
		if (customerJson === null) return this.sockets.broadcast(frame);
		const forCustomers = eventsFrame(customerJson);
		this.sockets.sendEach((actor) => (actor && sideOf(actor.role) === "agent" ? frame : forCustomers));
	}

	/** Sends one socket the events after `since`, as its side sees them. */
	replay(ws: WebSocket, actor: Actor, since: number): void {
		for (let after = since; ; ) {
			const batch = this.log.jsonAfter(after, LIMITS.backlogBatch, sideOf(actor.role));
			if (batch.length === 0) return;
			ws.send(eventsFrame(batch.join(",")));
			after += batch.length;
			if (batch.length < LIMITS.backlogBatch) return;
		}
	}

	/** Tells everyone (but a socket that is closing) who is in the chat, where it stands and its deadlines. */
	presence(record: SessionRecord, closing?: WebSocket): void {
		const frame: ServerFrame = { type: SERVER.presence, participants: this.participants(closing), status: record.status, deadlines: visibleDeadlines(record) };
		this.sockets.broadcast(JSON.stringify(frame), closing);
	}

	participants(closing?: WebSocket): ParticipantView[] {
		return this.roster.all().map((m) => ({
			id: m.id,
			role: m.role,
			name: m.name,
			online: this.sockets.tagged(m.id).some((ws) => ws !== closing),
			present: m.present,
			lastReadSeq: m.lastReadSeq,
			...this.presenceFacts(m.id),
		}));
	}

	/** Since when each person is connected or gone, and when they last did something (shared/presence.ts). */
	private presenceFacts(id: string): Pick<ParticipantView, "since" | "lastActiveAt"> {
		if (!this.people) return {};
		const facts = this.people.get(id);
		return facts.since === null ? { lastActiveAt: facts.lastActiveAt } : { since: facts.since, lastActiveAt: facts.lastActiveAt };
	}
}

function eventsFrame(eventsJson: string): string {
	return `{"type":"${SERVER.events}","events":[${eventsJson}]}`;
}
