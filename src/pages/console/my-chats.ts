/**
 * "My chats": the chats the agent is in, each with its unread count and the customer's last
 * message. The list of session ids is kept in localStorage, so that a reload or a new tab
 * reconnects to the same chats and keeps counting what the customers write.
 */
import * as z from "zod/mini";
import { el, fill } from "../lib/dom";
import type { Language } from "../lib/i18n";
import type { OpenChat } from "./open-chat";

const KEY = "console-my-chats";
const IdsSchema = z.array(z.string());

export function rememberedChats(): string[] {
	try {
		const parsed = IdsSchema.safeParse(JSON.parse(localStorage.getItem(KEY) ?? "[]"));
		return parsed.success ? parsed.data : [];
	} catch {
		return [];
	}
}

export function rememberChats(ids: string[]): void {
	try {
		localStorage.setItem(KEY, JSON.stringify(ids));
	} catch {
		// Storage full or disabled: the chats are still here until a reload.
	}
}

export function myChatItem(lang: Language, chat: OpenChat, current: boolean, onOpen: (sessionId: string) => void): HTMLLIElement {
	const state = chat.client.state;
	const open = el(
		"a",
		{ class: "my-chat-link", href: `#chat/${encodeURIComponent(chat.sessionId)}`, "aria-current": current ? "page" : false },
		el("span", { class: "my-chat-subject", dir: "auto" }, chat.subject || chat.sessionId),
		chat.unread > 0 ? el("span", { class: "unread", "aria-label": lang.t.console.unread(chat.unread) }, String(chat.unread)) : null,
	);
	open.addEventListener("click", (event) => {
		event.preventDefault();
		onOpen(chat.sessionId);
	});
	return el(
		"li",
		{ class: current ? "my-chat current" : chat.unread > 0 ? "my-chat has-unread" : "my-chat", "data-session": chat.sessionId },
		open,
		el(
			"p",
			{ class: "my-chat-meta" },
			el("span", { class: "case-id" }, chat.caseId),
			state ? el("span", { class: `pill st-${state.status}` }, chat.done && !chat.finished ? lang.t.youLeftStatus : lang.t.status[state.status]) : null,
		),
		chat.lastMessage ? el("p", { class: "my-chat-last", dir: "auto" }, `${chat.customerName}: ${chat.lastMessage}`) : null,
	);
}

export function fillMyChats(lang: Language, list: HTMLUListElement, chats: OpenChat[], current: string | null, onOpen: (sessionId: string) => void): void {
	if (chats.length === 0) fill(list, el("li", { class: "empty" }, lang.t.console.noChats));
	else fill(list, ...chats.map((chat) => myChatItem(lang, chat, chat.sessionId === current, onOpen)));
}
