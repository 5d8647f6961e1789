/**
 * What a session decides about its members: letting someone in by a link of theirs, making and
 * revoking links, removing someone, and revising (editing or deleting) a message. Pure, like the
 * rest of `decide` (commands.ts), whose draft these functions work on through `MemberDraft`.
 */
import type { Actor, ErrorCode, EventBody } from "../shared/protocol";
import { LIMITS } from "../shared/protocol";
import type { Refusal } from "../shared/refusals";
import { REFUSALS } from "../shared/refusals";
import type { Link, NewLink } from "./links";
import { isTerminal } from "./lifecycle";
import type { Action } from "./policy";
import { mayInvite, mayRemove, mayRevoke } from "./policy";
import type { RevisionTarget } from "./revisions";
import type { SessionRecord } from "./session-record";

/** A link as the session found it for an admission. */
export interface LinkAdmission {
	link: Link;
	expired: boolean;
}

export type MemberCommand =
	/** Someone opens a link of theirs (the Worker checked it is genuine, the session found it). */
	| { type: "admit_by_link"; deviceId: string; found: LinkAdmission }
	/** A new link, its secret already hashed and its expiry worked out by the object; `made`: how many the session has handed out. */
	| { type: "make_link"; link: NewLink; made: number }
	/** `link`: the one asked for, as stored; null if there is none. */
	| { type: "revoke_link"; linkId: string; link: Link | null }
	/** `target`: the person to remove, from the roster or, never having joined, from their link. */
	| { type: "remove"; target: Actor | null }
	/** `text` null: a delete. `target`: the message revised, as stored; null if there is none. */
	| { type: "revise"; of: number; text: string | null; target: RevisionTarget | null };

/** What members change beyond the rest of a decision; absent from decisions that change none of it. */
export interface MemberChanges {
	links: NewLink[];
	/** Links revoked by id, and every link of these participants. */
	revokeLinks: string[];
	revokeLinksOf: string[];
	removed: Array<{ id: string; by: string | null }>;
	/** Devices let in by a link: revoking the link closes them. */
	linkDevices: Array<{ deviceId: string; linkId: string }>;
}

/** The parts of the draft decision (commands.ts) that members' commands use. */
export interface MemberDraft {
	record: SessionRecord;
	readonly removed: ReadonlySet<string>;
	readonly lastSeq: number;
	readonly pendingEvents: number;
	changes(): MemberChanges;
	allowed(actor: Actor, action: Action): boolean;
	isPresent(id: string): boolean;
	agentPresent(): boolean;
	enter(actor: Actor): void;
	/**
	 * Takes someone out of the chat: gone from the roster, their devices revoked, and the chat waits
	 * for an agent if it was the last. `returns`: whether a returning customer is routed back to them.
	 */
	takeOut(actor: Actor, returns: boolean): void;
	grant(deviceId: string, participantId: string): void;
	append(body: EventBody, actor: Actor | null, withheld?: boolean): void;
	closeFor(participantId: string, code: number, reason: string, notice?: string): void;
	refuse(reason: Refusal): void;
	fail(code: ErrorCode, message: string): void;
}

export function decideMember(draft: MemberDraft, actor: Actor | null, command: MemberCommand, now: number): void {
	if (command.type === "admit_by_link") return admitByLink(draft, command, now);
	if (!actor) return;
	switch (command.type) {
		case "make_link":
			return makeLink(draft, actor, command.link, command.made);
		case "revoke_link":
			return revokeLink(draft, actor, command);
		case "remove":
			return remove(draft, actor, command.target);
		case "revise":
			return revise(draft, actor, command);
	}
}

function admitByLink(draft: MemberDraft, { deviceId, found }: Extract<MemberCommand, { type: "admit_by_link" }>, now: number): void {
	const { link, expired } = found;
	const record = draft.record;
	if (isTerminal(record)) return draft.refuse(record.status === "resolved" ? "resolved" : "ended");
	if (draft.removed.has(link.participantId)) return draft.refuse("removed");
	if (link.revokedAt !== null) return draft.refuse("link_revoked");
	if (expired || now >= link.expiresAt) return draft.refuse("link_expired");
	const actor: Actor = { id: link.participantId, role: link.role, name: link.name };
	draft.grant(deviceId, actor.id);
	draft.changes().linkDevices.push({ deviceId, linkId: link.id });
	if (!draft.isPresent(actor.id)) {
		draft.enter(actor);
		draft.append({ type: "joined" }, actor);
	}
}

/** Links one session hands out at most, revoked ones included: each is a row the session keeps. */
export const MAX_LINKS_PER_SESSION = 100;

function makeLink(draft: MemberDraft, actor: Actor, link: NewLink, made: number): void {
	if (link.kind === "invite") {
		if (!draft.allowed(actor, "add_member")) return;
		if (!mayInvite(actor.role, link.role)) return draft.fail("forbidden", `a ${actor.role} cannot invite a ${link.role}`);
	} else {
		if (!draft.allowed(actor, "device_link")) return;
		if (link.participantId !== actor.id) return draft.fail("forbidden", "a link to another device is for your own devices");
	}
	if (made >= MAX_LINKS_PER_SESSION) return draft.fail("session_full", `this chat has handed out ${MAX_LINKS_PER_SESSION} links, as many as it may`);
	draft.changes().links.push(link);
}

function revokeLink(draft: MemberDraft, actor: Actor, { linkId, link }: Extract<MemberCommand, { type: "revoke_link" }>): void {
	if (!draft.allowed(actor, "revoke_link")) return;
	if (!link) return draft.fail("bad_frame", "no such link");
	if (!mayRevoke(actor.role, link.madeBy === actor.id)) return draft.fail("forbidden", "only whoever made a link, or an agent, can revoke it");
	draft.changes().revokeLinks.push(linkId);
}

function remove(draft: MemberDraft, actor: Actor, target: Actor | null): void {
	if (!draft.allowed(actor, "remove")) return;
	if (!target || draft.removed.has(target.id)) return draft.fail("bad_frame", "nobody by that id is in this chat");
	if (target.id === actor.id) return draft.fail("forbidden", "to go yourself, leave the chat");
	if (!mayRemove(actor.role, target.role)) return draft.fail("forbidden", `a ${actor.role} cannot remove a ${target.role}`);
	const changes = draft.changes();
	changes.removed.push({ id: target.id, by: actor.id });
	changes.revokeLinksOf.push(target.id);
	// Everyone sees it, the removed person included: the event goes out before their sockets close.
	draft.append({ type: "removed", participantId: target.id, name: target.name }, actor);
	// A removed agent is nobody to route the customer back to.
	if (draft.isPresent(target.id)) draft.takeOut(target, false);
	draft.closeFor(target.id, 1008, "removed from this chat", REFUSALS.removed.error);
}

function revise(draft: MemberDraft, actor: Actor, { of, text, target }: Extract<MemberCommand, { type: "revise" }>): void {
	if (!draft.allowed(actor, "revise")) return;
	if (!target) return draft.fail("bad_frame", `no message has seq ${of}`);
	if (target.actorId !== actor.id) return draft.fail("forbidden", "you can only edit or delete your own messages");
	if (target.deleted) return draft.fail("forbidden", "this message was deleted");
	if (draft.lastSeq + draft.pendingEvents >= LIMITS.maxEventsPerSession) return draft.fail("session_full", "this chat has reached its size limit: start a new session");
	// Kept from agents if the message was, or if no agent is here to see it written under strict recording.
	const withheld = target.withheld || (draft.record.recording === "strict" && !draft.agentPresent());
	draft.append(text === null ? { type: "message_deleted", of } : { type: "message_edited", of, text }, actor, withheld);
}
