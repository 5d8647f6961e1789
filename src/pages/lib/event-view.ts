/**
 * How one event of a chat looks, live or in a transcript: messages as bubbles with their sender
 * and time, everything else as a quieter line of its own. Message text is set as text (its web
 * addresses as links), with its direction taken from its own first strong character, so Arabic
 * or Hebrew reads right to left. What the reader did reads in the second person.
 */
import type { SessionEvent } from "../../shared/protocol";
import { el } from "./dom";
import type { FileOpener } from "./file-message";
import { fileView } from "./file-message";
import type { Language } from "./i18n";
import { linkified } from "./linkify";

export interface MessageView {
	item: HTMLLIElement;
	/** Where the sender sees Sending…, Sent or Read. */
	delivery: HTMLSpanElement;
}

export type SystemEvent = Exclude<SessionEvent, { type: "message" }>;

export function messageView(lang: Language, author: string, mine: boolean, at: number | null, text: string): MessageView {
	const delivery = el("span", { class: "delivery" });
	const time = at === null ? null : el("time", { datetime: new Date(at).toISOString() }, lang.format.when(at));
	const item = el(
		"li",
		{ class: mine ? "msg mine" : "msg theirs" },
		el("div", { class: "msg-meta" }, el("span", { class: "msg-author" }, author), time, mine ? delivery : null),
		el("p", { class: "msg-text", dir: "auto" }, ...linkified(text)),
	);
	return { item, delivery };
}

/** The line for anything that is not a message, as `me` (the reader's participant id) reads it. */
export function systemText(lang: Language, event: SystemEvent, me: string | null): string {
	const { t, format } = lang;
	const name = event.actor?.name ?? t.someone;
	const mine = me !== null && event.actor?.id === me;
	switch (event.type) {
		case "joined":
			return mine ? t.eventYouJoined : t.eventJoined(name);
		case "left":
			return mine ? t.eventYouLeft : t.eventLeft(name);
		case "case_resolved":
			return mine ? t.eventYouResolved : t.eventResolved(name);
		case "chat_ended":
			return mine && (event.reason === "ended_by_agent" || event.reason === "ended_by_customer") ? t.eventYouEnded : t.eventEnded[event.reason];
		case "agent_away":
			return mine ? t.eventYouAway(format.when(event.waitUntil)) : t.eventAgentAway(name, format.when(event.waitUntil));
		case "customer_returned":
			return mine ? t.eventYouReturned : t.eventCustomerReturned(name);
		case "invite_sent":
			return event.ok ? t.eventInviteSent(t.channels[event.channel], event.to) : t.eventInviteFailed(t.channels[event.channel], event.to, event.detail);
		case "file":
			return lang.t.files.sent(name, event.name);
		case "file_released":
			return lang.t.files.released;
		case "file_blocked":
			return lang.t.files.blocked;
		case "removed":
			if (me !== null && event.participantId === me) return t.members.eventYouWereRemoved(name);
			return mine ? t.members.eventYouRemoved(event.name) : t.members.eventRemoved(name, event.name);
		// In a transcript, or wherever a revision is not folded into its message (message-log.ts does that).
		case "message_edited":
			return t.members.eventEdited(name, event.text);
		case "message_deleted":
			return t.members.eventDeleted(name);
		case "withheld":
			return t.members.withheld;
		case "transfer_offered":
		case "transfer_withdrawn":
		case "transferred":
			return transferText(lang, event, me);
	}
}

/** Handing a chat over, as its offerer, its target, or anyone else in the chat reads it. */
function transferText({ t }: Language, event: Extract<SystemEvent, { type: "transfer_offered" | "transfer_withdrawn" | "transferred" }>, me: string | null): string {
	const x = t.transfer;
	const name = event.actor?.name ?? t.someone;
	const mine = me !== null && event.actor?.id === me;
	switch (event.type) {
		case "transfer_offered":
			// The customer side is not told whom it is offered to (policy.ts).
			if (event.to.id === "") return x.handingOver(name);
			return mine ? x.youOffered(event.to.name) : event.to.id === me ? x.offeredYou(name) : x.offered(name, event.to.name);
		case "transfer_withdrawn":
			return x.withdrawn[event.reason](event.to.id === me ? t.you : event.to.name || t.someone);
		case "transferred":
			if (event.to === null) return mine ? x.youBackToQueue : x.backToQueue(event.from.name);
			return event.from.id === me ? x.youHandedOver(event.to.name) : event.to.id === me ? x.handedToYou(event.from.name) : x.handedOver(event.from.name, event.to.name);
	}
}

export function systemView(lang: Language, event: SystemEvent, me: string | null): HTMLLIElement {
	return el(
		"li",
		{ class: `sys ${toneOf(event)}`, "data-event": event.type, "data-actor": event.actor?.id ?? "" },
		el("span", { class: "sys-text" }, systemText(lang, event, me)),
		el("time", { datetime: new Date(event.at).toISOString() }, lang.format.when(event.at)),
	);
}

/** A chat that ran out (a key nobody used, the time limit, nobody back) is a warning, not a success. */
function toneOf(event: SystemEvent): string {
	if (event.type === "case_resolved") return "sys-end";
	if (event.type === "chat_ended") return event.reason === "key_expired" || event.reason === "time_limit" || event.reason === "no_return" ? "sys-warn" : "sys-end";
	return event.type === "invite_sent" && !event.ok ? "sys-warn" : "";
}

/** A past event as it appears in a transcript or a restored history. */
export function eventView(lang: Language, event: SessionEvent, me: string | null, files: FileOpener): HTMLLIElement {
	const mine = event.actor?.id === me;
	if (event.type === "file") return fileView(lang, event, mine ? lang.t.you : (event.actor?.name ?? lang.t.someone), mine, files).item;
	if (event.type !== "message") return systemView(lang, event, me);
	return messageView(lang, mine ? lang.t.you : (event.actor?.name ?? lang.t.someone), mine, event.at, event.text).item;
}
