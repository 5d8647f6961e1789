/**
 * One chat the agent is in, kept connected whether or not it is on screen: its panel (with the
 * draft and the place in the log), its invite card, and how many of the customer's messages the
 * agent has not seen. Being in a chat is not watching it: only the chat on screen, in a tab in
 * front, counts as read.
 */
import { SessionClient } from "../../client/session-client";
import type { Invitee, Joined } from "../../shared/api";
import type { SessionEvent } from "../../shared/protocol";
import { isFinished } from "../../shared/protocol";
import { ChatPanel } from "../lib/chat-panel";
import { button, el } from "../lib/dom";
import type { ConsoleLanguage } from "../lib/i18n";
import { InviteCard } from "./invite-card";
import { InviteSenders } from "./invite-senders";
import { peopleAction } from "../lib/people-action";
import type { Started } from "./started-sessions";
import type { Answer } from "../lib/http";
import { CaseHistoryView } from "./case-history";
import { TransferBar } from "./transfer-bar";

export interface OpenChatHooks {
	/** The customer wrote something the agent has not seen, just now (not replayed on connect). */
	alarm(chat: OpenChat, message: Extract<SessionEvent, { type: "message" }>): void;
	/** Something shown in the lists changed: the unread count, the last message, the status. */
	changed(chat: OpenChat): void;
	transcript(sessionId: string): void;
	/** The agent asks to hand this chat over (the console's dialog). */
	transfer(sessionId: string): void;
	/** A refused call; the words to show, or null once dealt with (signed out). */
	failed(answer: Extract<Answer<unknown>, { ok: false }>): string | null;
}

export class OpenChat {
	readonly client: SessionClient;
	readonly panel: ChatPanel;
	readonly invite: InviteCard | null;
	private readonly transferBar: TransferBar;
	private readonly history: CaseHistoryView;
	unread = 0;
	/** The customer's last message, shown in My chats. */
	lastMessage: string | null = null;
	/** The agent has left, or the chat is over: it no longer belongs in My chats. */
	done = false;
	private readSeq = 0;
	/** Events up to this one were replayed on connect; after it they happen now. */
	private liveAfterSeq = Number.POSITIVE_INFINITY;
	private onScreen = false;
	/** What the lists last showed of this chat, so that they are redrawn only when it changes. */
	private shown = "";
	private readonly onVisible = () => this.seeIfWatched();
	private readonly joinedId: string;

	constructor(
		readonly sessionId: string,
		joined: Joined,
		private readonly lang: ConsoleLanguage,
		remembered: Started | null,
		private readonly hooks: OpenChatHooks,
	) {
		this.joinedId = joined.participantId;
		this.client = new SessionClient({ baseUrl: location.origin, joined });
		this.invite = remembered ? new InviteCard(remembered.started, remembered.contact, lang) : null;
		this.transferBar = new TransferBar(lang, sessionId, joined.participantId, () => hooks.transfer(sessionId), (answer) => hooks.failed(answer));
		this.history = new CaseHistoryView(lang, sessionId, joined.participantId);
		this.panel = new ChatPanel({
			lang,
			client: this.client,
			me: joined.participantId,
			role: "agent",
			aside: el("div", { class: "chat-aside" }, this.invite?.root, this.transferBar.root, this.history.root),
			// An agent brings in a colleague of the customer's or a specialist, and removes anyone but the customer.
			people: peopleAction({
				lang,
				sessionId,
				token: joined.token,
				me: joined.participantId,
				invites: ["member", "specialist"],
				sendLink: (invitee, sent) => sendTheirLink(lang, sessionId, invitee, sent),
				agentLink: `${location.origin}/#chat/${encodeURIComponent(sessionId)}`,
			}),
			whenOver: () => [button(lang.t.console.viewTranscript, () => hooks.transcript(sessionId), { class: "btn btn-primary btn-small" })],
		});
		const me = joined.participantId;
		this.client.subscribe((update) => {
			if (update.type === "state") {
				this.liveAfterSeq = update.state.lastSeq;
				this.readSeq = Math.max(this.readSeq, update.state.participants.find((p) => p.id === me)?.lastReadSeq ?? 0);
				if (update.state.status !== "pending") this.invite?.collapse();
				void this.history.load(update.state.case.caseId);
				this.connected();
			}
			if (update.type === "state" || update.type === "presence") this.transferBar.setInChat(this.canHandOver());
			if (update.type === "presence" && update.status !== "pending") this.invite?.collapse();
			if (update.type !== "event") return;
			const { event } = update;
			this.transferBar.onEvent(event);
			if (event.type === "left" && event.actor?.id === me && event.seq > this.liveAfterSeq) this.done = true;
			// Handed over (to another agent, or the queue): the chat is no longer this agent's.
			if (event.type === "transferred" && event.from.id === me && event.seq > this.liveAfterSeq) this.done = true;
			this.transferBar.setInChat(this.canHandOver());
			if (event.type === "chat_ended") this.done = true;
			// The customer's side is who must not wait unnoticed (the customer, a colleague they invited); another agent's message raises no alarm.
			if (event.type === "message" && (event.actor?.role === "customer" || event.actor?.role === "member")) {
				this.lastMessage = event.text;
				if (this.watched()) this.readSeq = event.seq;
				else if (event.seq > this.readSeq) {
					this.unread += 1;
					if (event.seq > this.liveAfterSeq) hooks.alarm(this, event);
				}
			}
			this.notify();
		});
		document.addEventListener("visibilitychange", this.onVisible);
	}

	get subject(): string {
		return this.client.state?.case.subject ?? "";
	}

	get caseId(): string {
		return this.client.state?.case.caseId ?? "";
	}

	get customerName(): string {
		return this.client.state?.participants.find((p) => p.role === "customer")?.name ?? this.lang.t.console.theCustomer;
	}

	get finished(): boolean {
		const state = this.client.state;
		return state !== null && isFinished(state.status);
	}

	start(): void {
		this.panel.start();
	}

	show(): void {
		this.onScreen = true;
		this.panel.shown();
		this.seeIfWatched();
	}

	hide(): void {
		this.onScreen = false;
		this.panel.hide();
	}

	destroy(): void {
		document.removeEventListener("visibilitychange", this.onVisible);
		this.transferBar.destroy();
		this.panel.destroy();
		this.invite?.destroy();
	}

	/** In the chat, with the customer in it too (until then the invite card has the room), and it is live: the agent may hand it over. */
	private canHandOver(): boolean {
		const state = this.client.state;
		return state !== null && state.status !== "pending" && !isFinished(state.status) && !this.done && state.participants.some((p) => p.id === this.joinedId && p.present);
	}

	private watched(): boolean {
		return this.onScreen && document.visibilityState === "visible";
	}

	/** On screen in a tab in front: everything in it is seen. */
	private seeIfWatched(): void {
		if (!this.watched() || this.unread === 0) return;
		this.unread = 0;
		this.readSeq = this.client.lastSeq;
		this.notify();
	}

	/** On each (re)connect, before the replay: a chat on screen has all it had so far read. */
	private connected(): void {
		if (this.watched()) this.readSeq = this.client.lastSeq;
		this.notify();
	}

	private notify(): void {
		const shown = [this.unread, this.lastMessage, this.client.state?.status, this.done, this.subject].join("|");
		if (shown === this.shown) return;
		this.shown = shown;
		this.hooks.changed(this);
	}
}

/** In the people dialog's invite: the colleague's or specialist's own link, sent by SMS or email, never the customer's key. */
function sendTheirLink(lang: ConsoleLanguage, sessionId: string, invitee: () => Invitee | { missing: string }, sent: () => void): HTMLElement {
	const c = lang.t.console;
	const texts = { label: { sms: c.theirMobile, email: c.theirEmail }, empty: { sms: c.enterTheirMobile, email: c.enterTheirEmail } };
	return el("div", { class: "invite-sends" }, el("p", { class: "muted" }, c.orSendLink), ...new InviteSenders(lang, sessionId, texts, {}, invitee, sent).forms);
}
