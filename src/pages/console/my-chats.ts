/**
 * "My chats": the chats the agent is in, each kept connected (on screen or not) with its unread
 * count and the customer's last message. Their session ids are kept in localStorage, so that a
 * reload or a new tab reconnects to the same chats and keeps counting what the customers write;
 * a chat the agent has left, or that is over, is dropped once it is off screen.
 */
import * as z from "zod/mini";
import { JoinedSchema } from "../../shared/api";
import type { SessionEvent } from "../../shared/protocol";
import { el, fill } from "../lib/dom";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";
import { OpenChat } from "./open-chat";
import { recallStarted } from "./started-sessions";

const KEY = "console-my-chats";
const IdsSchema = z.array(z.string());

export interface MyChatsHooks {
	/** A customer wrote in a chat that is not on screen. */
	alarm(chat: OpenChat, message: Extract<SessionEvent, { type: "message" }>): void;
	/** What the lists show of a chat changed; `status` says whether its status did too. */
	changed(chat: OpenChat, status: boolean): void;
	open(sessionId: string): void;
	transcript(sessionId: string): void;
	/** The agent asks to hand a chat over. */
	transfer(sessionId: string): void;
	/** A refused call; answers the words to show, or null once it has been dealt with (signed out). */
	failed(answer: Extract<Answer<unknown>, { ok: false }>): string | null;
}

export class MyChats {
	readonly root: HTMLUListElement;
	private readonly chats = new Map<string, OpenChat>();
	/** Each chat's status as last told, to say when it changed. */
	private readonly statuses = new Map<string, string>();

	constructor(
		private readonly lang: ConsoleLanguage,
		private readonly hooks: MyChatsHooks,
	) {
		this.root = el("ul", { class: "my-chats-list", "aria-label": lang.t.console.myChats });
	}

	get(sessionId: string): OpenChat | null {
		return this.chats.get(sessionId) ?? null;
	}

	unread(sessionId: string): number {
		return this.chats.get(sessionId)?.unread ?? 0;
	}

	totalUnread(): number {
		let count = 0;
		for (const chat of this.chats.values()) count += chat.unread;
		return count;
	}

	/** Reconnects to the chats this agent was in before a reload. */
	restore(): void {
		for (const sessionId of remembered()) if (!this.chats.has(sessionId)) void this.join(sessionId);
	}

	/** Joins the chat and keeps it connected; answers what went wrong, if anything. */
	async join(sessionId: string): Promise<string | null> {
		const joined = await call(`/api/sessions/${encodeURIComponent(sessionId)}/agent`, JoinedSchema, { method: "POST" });
		if (!joined.ok) {
			forgetId(sessionId);
			return this.hooks.failed(joined) ?? "";
		}
		// Asked for twice at once (a reload's restore and its address): one connection is enough.
		if (this.chats.has(sessionId)) return null;
		const chat = new OpenChat(sessionId, joined.data, this.lang, recallStarted(sessionId), {
			alarm: (from, message) => this.hooks.alarm(from, message),
			changed: (changed) => {
				if (changed.done) forgetId(changed.sessionId);
				const status = changed.client.state?.status ?? "";
				const statusChanged = this.statuses.get(changed.sessionId) !== status;
				this.statuses.set(changed.sessionId, status);
				this.hooks.changed(changed, statusChanged);
			},
			transcript: (id) => this.hooks.transcript(id),
			transfer: (id) => this.hooks.transfer(id),
			failed: (answer) => this.hooks.failed(answer),
		});
		this.chats.set(sessionId, chat);
		remember([...this.chats.keys()]);
		chat.start();
		return null;
	}

	/** Closes the chat for good: the agent left it, or it is over and off screen. */
	forget(chat: OpenChat): void {
		if (this.chats.get(chat.sessionId) !== chat) return;
		chat.destroy();
		this.chats.delete(chat.sessionId);
		this.statuses.delete(chat.sessionId);
		forgetId(chat.sessionId);
	}

	/** Signing out: nothing to reconnect to next time. */
	closeAll(forgetThem: boolean): void {
		for (const chat of this.chats.values()) chat.destroy();
		this.chats.clear();
		if (forgetThem) remember([]);
	}

	render(current: string | null): void {
		const { t } = this.lang;
		if (this.chats.size === 0) return fill(this.root, el("li", { class: "empty" }, t.console.noChats));
		fill(this.root, ...[...this.chats.values()].map((chat) => this.item(chat, chat.sessionId === current)));
	}

	private item(chat: OpenChat, current: boolean): HTMLLIElement {
		const { t } = this.lang;
		const state = chat.client.state;
		const open = el(
			"a",
			{ class: "my-chat-link", href: `#chat/${encodeURIComponent(chat.sessionId)}`, "aria-current": current ? "page" : false },
			el("span", { class: "my-chat-subject", dir: "auto" }, chat.subject || chat.sessionId),
			chat.unread > 0 ? el("span", { class: "unread", "aria-label": t.console.unread(chat.unread) }, String(chat.unread)) : null,
		);
		open.addEventListener("click", (event) => {
			event.preventDefault();
			this.hooks.open(chat.sessionId);
		});
		return el(
			"li",
			{ class: current ? "my-chat current" : chat.unread > 0 ? "my-chat has-unread" : "my-chat", "data-session": chat.sessionId },
			open,
			el(
				"p",
				{ class: "my-chat-meta" },
				el("span", { class: "case-id" }, chat.caseId),
				state ? el("span", { class: `pill st-${state.status}` }, chat.done && !chat.finished ? t.youLeftStatus : t.status[state.status]) : null,
			),
			chat.lastMessage ? el("p", { class: "my-chat-last", dir: "auto" }, `${chat.customerName}: ${chat.lastMessage}`) : null,
		);
	}
}

function remembered(): string[] {
	try {
		const parsed = IdsSchema.safeParse(JSON.parse(localStorage.getItem(KEY) ?? "[]"));
		return parsed.success ? parsed.data : [];
	} catch {
		return [];
	}
}

function remember(ids: string[]): void {
	try {
		localStorage.setItem(KEY, JSON.stringify(ids));
	} catch {
		// Storage full or disabled: the chats are still here until a reload.
	}
}

function forgetId(sessionId: string): void {
	remember(remembered().filter((id) => id !== sessionId));
}
