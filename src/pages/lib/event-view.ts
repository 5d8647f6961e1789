/**
 * How one event of a chat looks, live or in a transcript: messages as bubbles with their sender
 * and time, everything else as a quieter line of its own. Message text is set as text, with its
 * direction taken from its own first strong character, so Arabic or Hebrew reads right to left.
 */
import type { SessionEvent } from "../../shared/protocol";
import { el } from "./dom";
import type { FileOpener } from "./file-message";
import { fileView } from "./file-message";
import { fileStrings } from "./file-strings";
import type { Language } from "./i18n";

export interface MessageView {
	item: HTMLLIElement;
	/** Where the sender sees Sending…, Sent or Read. */
	delivery: HTMLSpanElement;
}

export function messageView(lang: Language, author: string, mine: boolean, at: number | null, text: string): MessageView {
	const delivery = el("span", { class: "delivery" });
	const time = at === null ? null : el("time", { datetime: new Date(at).toISOString() }, lang.format.when(at));
	const item = el(
		"li",
		{ class: mine ? "msg mine" : "msg theirs" },
		el("div", { class: "msg-meta" }, el("span", { class: "msg-author" }, author), time, mine ? delivery : null),
		el("p", { class: "msg-text", dir: "auto" }, text),
	);
	return { item, delivery };
}

/** The line for anything that is not a message. */
export function systemText(lang: Language, event: Exclude<SessionEvent, { type: "message" }>): string {
	const { t, format } = lang;
	const name = event.actor?.name ?? t.someone;
	switch (event.type) {
		case "joined":
			return t.eventJoined(name);
		case "left":
			return t.eventLeft(name);
		case "case_resolved":
			return t.eventResolved(name);
		case "chat_ended":
			return t.eventEnded[event.reason];
		case "agent_away":
			return t.eventAgentAway(name, format.when(event.waitUntil));
		case "customer_returned":
			return t.eventCustomerReturned(name);
		case "invite_sent":
			return event.ok ? t.eventInviteSent(t.channels[event.channel], event.to) : t.eventInviteFailed(t.channels[event.channel], event.to, event.detail);
		case "file":
			return fileStrings(lang.tag).sent(name, event.name);
		case "file_released":
			return fileStrings(lang.tag).released;
		case "file_blocked":
			return fileStrings(lang.tag).blocked;
	}
}

export function systemView(lang: Language, event: Exclude<SessionEvent, { type: "message" }>): HTMLLIElement {
	const tone = event.type === "chat_ended" || event.type === "case_resolved" ? "sys sys-end" : event.type === "invite_sent" && !event.ok ? "sys sys-warn" : "sys";
	return el(
		"li",
		{ class: tone, "data-event": event.type },
		el("span", { class: "sys-text" }, systemText(lang, event)),
		el("time", { datetime: new Date(event.at).toISOString() }, lang.format.when(event.at)),
	);
}

/** A past event as it appears in a transcript or a restored history; files open through `files`. */
export function eventView(lang: Language, event: SessionEvent, me: string | null, files: FileOpener): HTMLLIElement {
	const mine = event.actor?.id === me;
	if (event.type === "file") return fileView(lang, event, mine ? lang.t.you : (event.actor?.name ?? lang.t.someone), mine, files).item;
	if (event.type !== "message") return systemView(lang, event);
	return messageView(lang, mine ? lang.t.you : (event.actor?.name ?? lang.t.someone), mine, event.at, event.text).item;
}
