/**
 * Handing a chat over, decided purely like every other command (commands.ts hands it a view of its
 * draft). An agent in the chat offers it to another agent, who accepts or declines from their
 * console; until then the offering agent holds the chat, and a decline, a cancel or the offer's
 * expiry leaves it with them. Accepting is one step: the new agent is in and the offering agent out
 * together, so the chat never stops being `active` and the customer never waits in between. Back to
 * the queue needs no answer: the agent is out, the chat `waiting` and in the queue at once.
 *
 * The previous-agent rule stays as it is (lifecycle.ts `agentAway`: the last agent to leave is who
 * a returning customer is routed back to): since the offering agent is out the moment the chat is
 * handed over, that is always the latest agent to hold it.
 */
import type { Actor, ErrorCode, EventBody, TransferWithdrawn } from "../shared/protocol";
import type { TransferAsk } from "./contract";
import type { Action } from "./policy";
import type { SessionRecord, TransferOffer } from "./session-record";

/** How long an offer waits for its target: about what a desk's ring time is, then the chat stays put. */
export const TRANSFER_OFFER_MS = 2 * 60_000;

export type TransferCommand = TransferAsk;

/** What a transfer decision may do to the draft it is part of. */
export interface TransferDraft {
	record: SessionRecord;
	readonly now: number;
	allowed(actor: Actor, action: Action): boolean;
	isPresent(id: string): boolean;
	/** The agents in the chat now, by participant id. */
	presentAgents(): string[];
	customerPresent(): boolean;
	append(body: EventBody, actor: Actor | null): void;
	enter(actor: Actor): void;
	/** Takes the participant out of the chat without a `left` event: their devices revoked, their sockets closed. */
	depart(id: string, reason: string): void;
	/** The offer as it now stands goes to the directory, for the target's console (effects.ts). */
	effect(intent: "transfer_offer"): void;
	fail(code: ErrorCode, message: string): void;
}

export function decideTransfer(draft: TransferDraft, actor: Actor, command: TransferCommand): void {
	switch (command.type) {
		case "offer_transfer":
			return offer(draft, actor, command.to);
		case "cancel_transfer":
			return cancel(draft, actor);
		case "answer_transfer":
			return command.accept ? accept(draft, actor) : decline(draft, actor);
		case "transfer_to_queue":
			return toQueue(draft, actor);
	}
}

/** An offer nobody answered in time expires, like every deadline, at the first command after it. */
export function expireDueOffer(draft: TransferDraft): void {
	const offer = draft.record.transfer;
	if (offer !== null && draft.now >= offer.expiresAt) withdraw(draft, offer, "expired", null);
}

/** The offering agent left the chat: there is nobody left to hand it over from. */
export function withdrawOnLeave(draft: TransferDraft, actor: Actor): void {
	const offer = draft.record.transfer;
	if (offer?.from.id === actor.id) withdraw(draft, offer, "offerer_left", actor);
}

/** The chat ended: an offer pending goes with it (the end says why), and the target's console forgets it. */
export function dropOnEnd(draft: TransferDraft): void {
	if (draft.record.transfer === null) return;
	draft.record = { ...draft.record, transfer: null };
	draft.effect("transfer_offer");
}

function offer(draft: TransferDraft, actor: Actor, to: Actor): void {
	if (!draft.allowed(actor, "transfer")) return;
	const pending = draft.record.transfer;
	if (pending !== null) return draft.fail("conflict", `this chat is already offered to ${pending.to.name}: cancel that offer first`);
	if (to.id === actor.id) return draft.fail("conflict", "you cannot hand a chat to yourself");
	const expiresAt = draft.now + TRANSFER_OFFER_MS;
	const from = { id: actor.id, name: actor.name };
	const target = { id: to.id, name: to.name };
	draft.record = { ...draft.record, transfer: { from, to: target, offeredAt: draft.now, expiresAt } };
	draft.append({ type: "transfer_offered", to: target, expiresAt }, actor);
	draft.effect("transfer_offer");
}

function cancel(draft: TransferDraft, actor: Actor): void {
	if (!draft.allowed(actor, "transfer")) return;
	const pending = draft.record.transfer;
	if (pending === null) return draft.fail("conflict", "this chat is not offered to anyone");
	if (pending.from.id !== actor.id) return draft.fail("forbidden", `only ${pending.from.name}, who offered it, can cancel this offer`);
	withdraw(draft, pending, "cancelled", actor);
}

/** The offer for `actor`, or why there is none: it was withdrawn, expired, or is someone else's. */
function offerFor(draft: TransferDraft, actor: Actor): TransferOffer | null {
	if (!draft.allowed(actor, "answer_transfer")) return null;
	const pending = draft.record.transfer;
	if (pending?.to.id === actor.id) return pending;
	draft.fail("conflict", "this chat is not offered to you any more: the offer was cancelled, declined or has expired");
	return null;
}

function decline(draft: TransferDraft, actor: Actor): void {
	const pending = offerFor(draft, actor);
	if (pending) withdraw(draft, pending, "declined", actor);
}

function accept(draft: TransferDraft, actor: Actor): void {
	const pending = offerFor(draft, actor);
	if (!pending) return;
	// In before the offering agent is out: someone holds the chat throughout.
	if (!draft.isPresent(actor.id)) draft.enter(actor);
	const from = pending.from;
	draft.record = { ...draft.record, transfer: null, agentWaitEndsAt: null };
	// The offering agent's sockets hear of the handover, then close: every event is theirs up to it and the new agent's from it.
	draft.append({ type: "transferred", from, to: { id: actor.id, name: actor.name } }, { id: from.id, role: actor.role, name: from.name });
	draft.depart(from.id, "handed over");
	draft.effect("transfer_offer");
}

function toQueue(draft: TransferDraft, actor: Actor): void {
	if (!draft.allowed(actor, "transfer")) return;
	if (draft.record.transfer !== null) return draft.fail("conflict", `this chat is offered to ${draft.record.transfer.to.name}: cancel that offer first`);
	if (!draft.customerPresent()) return draft.fail("conflict", "the customer is not in this chat: there is nobody to put in the queue");
	const others = draft.presentAgents().filter((id) => id !== actor.id);
	if (others.length > 0) return draft.fail("conflict", "another agent is in this chat: hand it to them instead, or they leave first");
	// Given up on purpose: the chat is anyone's, not routed back to this agent.
	draft.record = { ...draft.record, previousAgent: null, agentWaitEndsAt: null };
	draft.append({ type: "transferred", from: { id: actor.id, name: actor.name }, to: null }, actor);
	draft.depart(actor.id, "back to the queue");
}

function withdraw(draft: TransferDraft, offer: TransferOffer, reason: TransferWithdrawn, actor: Actor | null): void {
	draft.record = { ...draft.record, transfer: null };
	draft.append({ type: "transfer_withdrawn", to: offer.to, reason }, actor);
	draft.effect("transfer_offer");
}
