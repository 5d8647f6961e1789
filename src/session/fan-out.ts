/**
 * What a session's sockets hear: what a stored decision changed, events encoded once for each side,
 * a backlog replayed in batches, and who is in the chat (presence). Socket bookkeeping itself is
 * `Connections`.
 */
import type { Actor, ParticipantView, ServerFrame } from "../shared/protocol";
import { LIMITS, SERVER } from "../shared/protocol";
import { REFUSALS } from "../shared/refusals";
import type { Connections } from "../sockets/connections";
import { trySend } from "../sockets/connections";
import type { Decision } from "./decision";
import type { Appended, EventLog } from "./event-log";
import { visibleDeadlines } from "./lifecycle";
import { sideOf } from "./policy";
import { onlineSince, presenceSince } from "./online";
import type { People } from "./people";
import type { Member, Roster } from "./roster";
import type { SessionRecord } from "./session-record";
import type { Written } from "./session-store";

export class FanOut {
	constructor(
		private readonly sockets: Connections<Actor>,
		private readonly log: EventLog,
		private readonly roster: Roster,
		private readonly people?: People,
	) {}

	/**
	 * Tells the sockets what a decision changed, once it is stored: its events, a resend's ack,
	 * the signals, the sockets it closes (with their last word) and, if it moved, where the chat stands.
	 */
	tell(decision: Decision, written: Written, sender?: WebSocket): void {
		for (const event of written.appended) this.publish(event);
		// A new message reaches its sender as an event in its place in the order, which is its
		// acknowledgement: a frame more per message would cost the sender and the session (W1). A
		// resend is stored and delivered no more, so it is answered with the seq it was given.
		if (written.ack?.duplicate && sender) sendFrame(sender, { type: SERVER.ack, ...written.ack });
		for (const { frame, exceptSender } of decision.signals) this.sockets.broadcast(JSON.stringify(frame), exceptSender ? sender : undefined);
		for (const { participantId, code, reason, notice } of decision.close) this.sockets.close(participantId, code, reason, notice === undefined ? undefined : forbidden(notice));
		for (const id of written.revokedLinkDevices) this.sockets.close(`device:${id}`, 1008, "this link was revoked", forbidden(REFUSALS.link_revoked.error));
		for (const id of written.revokedDevices) this.sockets.close(`device:${id}`, 1008, "this link was replaced", forbidden(REFUSALS.link_replaced.error));
		if (decision.statusChanged) this.presence(decision.record);
	}

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

	/**
	 * Tells everyone who is in the chat, where it stands and its deadlines, once a decision moved
	 * them. With nobody to hear it, no frame is built. A socket opening or closing is `connection`.
	 */
	private presence(record: SessionRecord): void {
		if (!this.sockets.anyOpenBut()) return;
		const frame: ServerFrame = { type: SERVER.presence, participants: this.participants(), status: record.status, deadlines: visibleDeadlines(record) };
		this.sockets.broadcast(JSON.stringify(frame));
	}

	/**
	 * Tells everyone but `closing` and `told` that one person's connection changed (a socket of
	 * theirs opened or closed): their entry alone, where `presence` would repeat every entry to
	 * every socket, at every reconnect (a tenth of the bytes in a room of eleven; 2026-12-03,
	 * docs/performance.md). Status and deadlines do not move with a socket; where they do, the
	 * decision that moved them sends `presence`.
	 */
	connection(actorId: string, closing?: WebSocket, told?: WebSocket): void {
		if (!this.sockets.anyOpenBut(closing, told)) return;
		const member = this.roster.get(actorId);
		if (!member) return;
		const frame: ServerFrame = { type: SERVER.participant, participant: this.view(member, onlineSince(this.sockets, closing)) };
		this.sockets.broadcast(JSON.stringify(frame), closing, told);
	}

	participants(): ParticipantView[] {
		const online = onlineSince(this.sockets);
		return this.roster.all().map((m) => this.view(m, online));
	}

	private view(m: Member, online: Map<string, number | null>): ParticipantView {
		return {
			id: m.id,
			role: m.role,
			name: m.name,
			online: online.has(m.id),
			present: m.present,
			lastReadSeq: m.lastReadSeq,
			...this.presenceFacts(m.id, online.get(m.id)),
		};
	}

	/** Since when each person is connected or gone, and when they last did something (shared/presence.ts). */
	private presenceFacts(id: string, connectedAt: number | null | undefined): Pick<ParticipantView, "since" | "lastActiveAt"> {
		if (!this.people) return {};
		const facts = this.people.get(id);
		const since = presenceSince(facts.since, connectedAt);
		return since === null ? { lastActiveAt: facts.lastActiveAt } : { since, lastActiveAt: facts.lastActiveAt };
	}
}

/** A frame for one socket; one that is closing (its client sent this right before leaving) misses it. */
export function sendFrame(ws: WebSocket, frame: ServerFrame): void {
	trySend(ws, JSON.stringify(frame));
}

/** The last word to a socket the session closes because its person or link is no longer let in. */
function forbidden(message: string): string {
	return JSON.stringify({ type: SERVER.error, code: "forbidden", message } satisfies ServerFrame);
}

function eventsFrame(eventsJson: string): string {
	return `{"type":"${SERVER.events}","events":[${eventsJson}]}`;
}
