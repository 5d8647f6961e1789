/**
 * What a session does with each command (a frame or an RPC call): a pure function of the session
 * as it stands, who asks, what they ask and the time. It returns the change to make (the record,
 * who enters or leaves, the events to append), the effects to put in the outbox, what to tell the
 * sockets, and any refusal. The object applies it in one SQLite step; nothing here touches storage.
 */
import type { Actor, ErrorCode, EventBody, Role } from "../shared/protocol";
import { LIMITS, SERVER } from "../shared/protocol";
import type { Refusal } from "../shared/refusals";
import { REFUSALS } from "../shared/refusals";
import { CUSTOMER_ID } from "./contract";
import type { Command, Decision, EffectIntent, SessionView } from "./decision";
import { noChanges } from "./decision";
import type { FileDraft } from "./file-commands";
import { decideFile } from "./file-commands";
import type { Presence } from "./lifecycle";
import { agentAway, dueEnd, ended, isQueued, isTerminal, started, statusOf } from "./lifecycle";
import type { Action } from "./policy";
import { bringsChatBack, isAgentSide, permit } from "./policy";
import type { SessionRecord } from "./session-record";
import type { TransferDraft } from "./transfer";
import { decideTransfer, dropOnEnd, expireDueOffer, withdrawOnLeave } from "./transfer";
import type { MemberChanges, MemberDraft } from "./member-commands";
import { decideMember } from "./member-commands";

export function decide(view: SessionView, actor: Actor | null, command: Command, now: number): Decision {
	const draft = new Draft(view, now);
	// Alarms can be late, early or repeated: every command first applies what is due.
	const due = dueEnd(view.record, now);
	if (due) draft.end(due, null);
	draft.expireOffer();
	draft.apply(actor, command);
	return draft.finish();
}

const NOBODY: ReadonlySet<string> = new Set();

/** The decision being made: what the member, transfer and file decisions (their own files) work on. */
class Draft implements MemberDraft, TransferDraft, FileDraft {
	record: SessionRecord;
	private readonly decision: Omit<Decision, "record" | "statusChanged">;
	private readonly presentNow = new Map<string, { role: Role; present: boolean }>();

	constructor(
		private readonly view: SessionView,
		readonly now: number,
	) {
		this.record = view.record;
		this.decision = noChanges();
		for (const [id, member] of view.members) this.presentNow.set(id, { role: member.role, present: member.present });
	}

	apply(actor: Actor | null, command: Command): void {
		switch (command.type) {
			case "tick":
				return;
			case "admit_customer":
				return actor ? this.admitCustomer(actor, command) : undefined;
			case "admit_agent":
				return actor ? this.admitAgent(actor, command.deviceId) : undefined;
			case "retire":
				if (this.record.status === "pending") this.end("key_replaced", null);
				return;
			case "file":
			case "file_verdict":
			case "discard_file":
				return decideFile(this, actor, command);
			case "admit_by_link":
				return decideMember(this, actor, command, this.now);
			case "end":
				// Without an actor it is the system's own end (another session of the case resolved it).
				if (actor === null || this.allowed(actor, command.reason === "resolved" ? "resolve" : "end")) this.end(command.reason, actor, command.cascade);
				return;
		}
		if (!actor) return;
		switch (command.type) {
			case "message":
				return this.message(actor, command);
			case "typing":
				if (this.allowed(actor, "typing") && !command.throttled) this.decision.signals.push({ frame: { type: SERVER.typing, actor }, exceptSender: true });
				return;
			case "read":
				return this.read(actor, command.seq);
			case "leave":
				return this.leave(actor);
			case "note":
				if (this.allowed(actor, "note")) this.append(command.body, actor);
				return;
			case "reissue_link":
				return this.reissueLink(actor, command.secret);
			case "offer_transfer":
			case "cancel_transfer":
			case "answer_transfer":
			case "transfer_to_queue":
				return decideTransfer(this, actor, command);
			case "make_link":
			case "revoke_link":
			case "remove":
			case "revise":
				return decideMember(this, actor, command, this.now);
		}
	}

	/** Ends the chat once: a system event for everyone, every socket closed, the transcript and reports in the outbox. */
	end(reason: Parameters<typeof ended>[1], actor: Actor | null, cascade = false): void {
		if (isTerminal(this.record)) return;
		dropOnEnd(this);
		if (reason === "resolved") this.append({ type: "case_resolved" }, actor);
		this.append({ type: "chat_ended", reason }, actor);
		this.record = ended(this.record, reason, this.now);
		this.decision.effects.add("transcript");
		if (reason === "resolved" && cascade) this.decision.effects.add("resolve_case");
		this.decision.close.push({ participantId: null, code: 1000, reason: "chat ended" });
	}

	finish(): Decision {
		const before = this.view.record;
		const status = statusOf(this.record, this.presence());
		if (status !== this.record.status) this.record = { ...this.record, status };
		const statusChanged = status !== before.status;
		const wasQueued = isQueued(before, this.presence(this.view.members));
		if (statusChanged || wasQueued !== isQueued(this.record, this.presence())) this.decision.effects.add("report");
		return { ...this.decision, record: this.record, statusChanged };
	}

	private admitCustomer(actor: Actor, { via, deviceId, link }: Extract<Command, { type: "admit_customer" }>): void {
		const record = this.record;
		if (record.status === "expired") return this.refuse(record.endReason === "key_replaced" ? "replaced" : "expired");
		// The customer is told whether their case was resolved or is still open, not just that the chat is over.
		if (isTerminal(record)) return this.refuse(record.status === "resolved" ? "resolved" : "ended");
		// A support key starts the chat once; coming back is by the invite link, which the join answers.
		if (via === "key" && record.startedAt !== null) return this.refuse("used");
		if (link === "replaced") return this.refuse("link_replaced");
		this.record = started(record, this.now);
		this.decision.devices.push(link === null ? { id: deviceId, participantId: actor.id, via } : { id: deviceId, participantId: actor.id, via, linkGeneration: record.inviteGeneration });
		if (!this.isPresent(actor.id)) {
			this.enter(actor);
			this.append({ type: "joined" }, actor);
		}
	}

	/** An agent joins; an ended session admits agents to read it, without joining them. */
	private admitAgent(actor: Actor, deviceId: string): void {
		if (!isAgentSide(actor.role)) return this.refuse("forbidden");
		if (this.removed.has(actor.id)) return this.refuse("removed");
		this.decision.devices.push({ id: deviceId, participantId: actor.id, via: "console" });
		if (isTerminal(this.record) || this.isPresent(actor.id)) return;
		this.enter(actor);
		this.append({ type: "joined" }, actor);
		this.record = { ...this.record, agentWaitEndsAt: null };
	}

	/** The old link dies, and so do the sockets that came in by it; the support key is untouched. */
	private reissueLink(actor: Actor, secret: string): void {
		if (!this.allowed(actor, "invite")) return;
		const generation = this.record.inviteGeneration + 1;
		this.record = { ...this.record, inviteGeneration: generation, inviteSecret: secret };
		this.decision.revokeLinksBefore = generation;
	}

	private message(actor: Actor, command: Extract<Command, { type: "message" }>): void {
		if (!this.allowed(actor, "message")) return;
		const { clientId, text } = command;
		// A resend changes nothing: it is not refused, nor does it bring the customer back.
		if (command.resendOf !== null) {
			this.decision.repeatOf = command.resendOf;
			return;
		}
		if (!command.rateOk) return this.fail("rate_limited", "too many messages: slow down a little", clientId);
		if (bringsChatBack(actor.role) && this.record.agentWaitEndsAt !== null) {
			// "Hey, I'm back": back in the queue, marked for the agent who left.
			this.record = { ...this.record, agentWaitEndsAt: null };
			this.append({ type: "customer_returned" }, actor);
		}
		if (this.view.lastSeq + this.decision.events.length >= LIMITS.maxEventsPerSession) {
			return this.fail("session_full", "this chat has reached its size limit: start a new session", clientId);
		}
		// Written with no agent in the chat: marked so, and under strict recording kept from the agent side.
		if (this.agentPresent()) this.append({ type: "message", clientId, text }, actor);
		else this.append({ type: "message", clientId, text, unattended: true }, actor, this.record.recording === "strict");
	}

	private read(actor: Actor, seq: number): void {
		if (!this.allowed(actor, "read")) return;
		const upTo = Math.min(seq, this.view.lastSeq);
		if (upTo <= (this.view.members.get(actor.id)?.lastReadSeq ?? 0)) return;
		this.decision.read = { participantId: actor.id, seq: upTo };
		this.decision.signals.push({ frame: { type: SERVER.read, participantId: actor.id, seq: upTo }, exceptSender: false });
	}

	private leave(actor: Actor): void {
		if (!this.allowed(actor, "leave")) return;
		withdrawOnLeave(this, actor);
		this.append({ type: "left" }, actor);
		this.takeOut(actor, true);
		this.decision.close.push({ participantId: actor.id, code: 1000, reason: "left the chat" });
	}

	takeOut(actor: Actor, returns: boolean): void {
		// An agent who offered the chat and is taken out of it (removed) withdraws the offer, as one who leaves does.
		withdrawOnLeave(this, actor);
		this.decision.leave.push(actor.id);
		// Whatever they came in on stops working here: coming back is a new admission.
		this.decision.revokeDevicesOf.push(actor.id);
		this.presentNow.set(actor.id, { role: actor.role, present: false });
		if (!isAgentSide(actor.role) || this.presence().agentPresent) return;
		if (this.record.startedAt !== null) {
			// The chat is no longer tied to an agent: wait for the customer, then route them back.
			this.record = agentAway(this.record, returns ? actor.name : null, this.now);
			this.append({ type: "agent_away", waitUntil: this.record.agentWaitEndsAt ?? this.now }, actor);
		} else {
			// Left before the customer came: nothing to wait for, but the team's router hears that the
			// chat is no longer theirs, and whom to offer it to first when the customer comes.
			this.record = { ...this.record, previousAgent: returns ? actor.name : null };
			this.decision.effects.add("report");
		}
	}

	expireOffer(): void {
		expireDueOffer(this);
	}

	// ---- what transfers and files use of the draft (TransferDraft, FileDraft) ----

	presentAgents(): string[] {
		return [...this.presentNow].filter(([, m]) => isAgentSide(m.role) && m.present).map(([id]) => id);
	}

	customerPresent(): boolean {
		return this.presence().customerPresent;
	}

	depart(id: string, reason: string): void {
		this.decision.leave.push(id);
		this.decision.revokeDevicesOf.push(id);
		const role = this.presentNow.get(id)?.role;
		if (role) this.presentNow.set(id, { role, present: false });
		this.decision.close.push({ participantId: id, code: 1000, reason });
	}

	effect(intent: EffectIntent): void {
		this.decision.effects.add(intent);
	}

		// ---- what members' commands use of the draft (MemberDraft) ----

	get removed(): ReadonlySet<string> {
		return this.view.removed ?? NOBODY;
	}

	get lastSeq(): number {
		return this.view.lastSeq;
	}

	get pendingEvents(): number {
		return this.decision.events.length;
	}

	changes(): MemberChanges {
		this.decision.members ??= { links: [], revokeLinks: [], revokeLinksOf: [], removed: [], linkDevices: [] };
		return this.decision.members;
	}

	agentPresent(): boolean {
		return this.presence().agentPresent;
	}

	grant(deviceId: string, participantId: string): void {
		this.decision.devices.push({ id: deviceId, participantId, via: "link" });
	}

	closeFor(participantId: string, code: number, reason: string, notice?: string): void {
		this.decision.close.push(notice === undefined ? { participantId, code, reason } : { participantId, code, reason, notice });
	}

	allowed(actor: Actor, action: Action): boolean {
		// Removed is removed whatever the role: an agent taken out of the chat cannot act in it from the console either.
		if (this.removed.has(actor.id)) {
			this.fail("forbidden", REFUSALS.removed.error);
			return false;
		}
		const verdict = permit(actor.role, action, { present: this.isPresent(actor.id), finished: isTerminal(this.record) });
		if (!verdict.ok) this.fail(verdict.code, verdict.message);
		return verdict.ok;
	}

	enter(actor: Actor): void {
		this.decision.enter.push(actor);
		this.presentNow.set(actor.id, { role: actor.role, present: true });
	}

	append(body: EventBody, actor: Actor | null, withheld = false): void {
		this.decision.events.push(withheld ? { body, actor, withheld } : { body, actor });
	}

	isPresent(id: string): boolean {
		return this.presentNow.get(id)?.present === true;
	}

	private presence(members: ReadonlyMap<string, { role: Role; present: boolean }> = this.presentNow): Presence {
		let agentPresent = false;
		for (const member of members.values()) if (isAgentSide(member.role) && member.present) agentPresent = true;
		return { agentPresent, customerPresent: members.get(CUSTOMER_ID)?.present === true };
	}

	refuse(reason: Refusal): void {
		this.decision.refusal = reason;
	}

	fail(code: ErrorCode, message: string, clientId?: string): void {
		this.decision.error = clientId === undefined ? { code, message } : { code, message, clientId };
	}
}
