/**
 * The chat as both sides see it: the pinned case card with End chat and Resolve case, where the
 * chat stands, the messages with their delivery state, who is typing, and the message box. It
 * draws what a SessionClient reports and sends through it; the page around it decides what to
 * keep across a reload.
 */
import type { ClientUpdate, ConnectionStatus, SessionClient } from "../../client/session-client";
import type { Role, SessionEvent, SessionState } from "../../shared/protocol";
import { LIMITS, isFinished } from "../../shared/protocol";
import { Attachments } from "./attachments";
import { button, el, fill, uniqueId } from "./dom";
import { messageView, systemView } from "./event-view";
import type { Language } from "./i18n";

export interface ChatPanelOptions {
	lang: Language;
	client: SessionClient;
	/** The viewer's participant id, from the join answer. */
	me: string;
	role: Role;
	/** Events seen before a reload, drawn before the client resumes after them. */
	history?: SessionEvent[];
	/** Shown under the case card: the console's invite card. */
	aside?: HTMLElement;
	/** After anything worth keeping across a reload: an event, an acknowledgement, a send. */
	onChange?: () => void;
	/** Controls to offer once the chat is over (the console's transcript button). */
	whenOver?: (state: SessionState) => HTMLElement[];
}

type Banner = { tone: "info" | "ok" | "warn" | "done"; title: string; body: string | null };

const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 2500;
const NOTICE_SHOWN_MS = 6000;

export class ChatPanel {
	readonly root: HTMLElement;
	/** Every event drawn, in order: what a page keeps to redraw after a reload. */
	readonly events: SessionEvent[] = [];
	private readonly caseId = el("span", { class: "case-id" });
	private readonly severity = el("span", { class: "badge" });
	private readonly status = el("span", { class: "pill" });
	private readonly subject = el("h2", { class: "case-subject", dir: "auto" });
	private readonly people: HTMLUListElement;
	private readonly timeLeft = el("p", { class: "time-left" });
	private readonly endButton: HTMLButtonElement;
	private readonly resolveButton: HTMLButtonElement;
	/** Agents only: leave the chat without ending it. */
	private readonly leaveButton: HTMLButtonElement | null;
	/** This viewer has left the chat: nothing more to send from here. */
	private left = false;
	/** Events after this one happen now; those up to it are the history replayed on connect. */
	private liveAfterSeq = Number.POSITIVE_INFINITY;
	private readonly banner = el("div", { class: "banner", role: "status", hidden: true });
	private readonly connection = el("div", { class: "connection", role: "status", hidden: true });
	/** The scrolling region, announced as a log; the messages are a list inside it. */
	private readonly log: HTMLDivElement;
	private readonly list = el("ol", { class: "log-list" });
	private readonly typing = el("p", { class: "typing", "aria-live": "polite" });
	private readonly notice = el("p", { class: "composer-notice", role: "alert" });
	private readonly input: HTMLTextAreaElement;
	private readonly sendButton: HTMLButtonElement;
	private readonly attachments: Attachments;
	private readonly dialog: HTMLDialogElement;
	private readonly dialogText = el("p", { class: "dialog-text" });
	private readonly dialogConfirm = el("button", { value: "ok", class: "btn btn-primary" });
	private dialogAction: (() => void) | null = null;
	/** The sender's own messages by sequence number: where their delivery state shows. */
	private readonly own = new Map<number, HTMLSpanElement>();
	/** Messages sent and not yet in the log, by their client id. */
	private readonly pending = new Map<string, HTMLLIElement>();
	private readonly typers = new Map<string, { name: string; until: number }>();
	/** How far the others have read: the highest read position among them. */
	private readByOthers = 0;
	private markedRead = 0;
	private lastTypingSent = 0;
	private noticeTimer: ReturnType<typeof setTimeout> | null = null;
	private readonly ticker: ReturnType<typeof setInterval>;
	private readonly stopListening: () => void;
	private readonly onVisible = () => this.markRead();

	constructor(private readonly options: ChatPanelOptions) {
		const { t } = options.lang;
		this.people = el("ul", { class: "people", "aria-label": t.inThisChat });
		this.endButton = button(t.endChat, () => this.confirm(t.confirmEnd, t.endChat, () => options.client.endChat()), { class: "btn btn-quiet" });
		this.resolveButton = button(t.resolveCase, () => this.confirm(t.confirmResolve, t.resolveCase, () => options.client.resolveCase()), { class: "btn btn-primary" });
		this.leaveButton = options.role === "agent" ? button(t.leaveChat, () => this.confirm(t.confirmLeave, t.leaveChat, () => options.client.leave()), { class: "btn btn-quiet" }) : null;
		const card = el(
			"header",
			{ class: "case-card", "aria-label": t.caseDetails },
			el("div", { class: "case-top" }, this.caseId, this.severity, this.status),
			this.subject,
			this.people,
			el("div", { class: "case-bottom" }, this.timeLeft, el("div", { class: "case-actions" }, this.leaveButton, this.endButton, this.resolveButton)),
		);
		this.log = el("div", { class: "log", role: "log", "aria-label": t.messages, tabindex: 0 }, this.list);

		const inputId = uniqueId("message");
		const hintId = `${inputId}-hint`;
		this.input = el("textarea", {
			id: inputId,
			class: "composer-input",
			dir: "auto",
			rows: 1,
			maxlength: LIMITS.maxMessageChars,
			placeholder: t.messagePlaceholder,
			"aria-describedby": hintId,
			enterkeyhint: "send",
		});
		this.sendButton = el("button", { type: "submit", class: "btn btn-primary composer-send" }, t.send);
		this.attachments = new Attachments({ lang: options.lang, client: options.client, notice: (text) => this.showNotice(text) });
		const form = el("form", { class: "composer" }, el("label", { for: inputId, class: "visually-hidden" }, t.messageLabel), this.attachments.button, this.input, this.sendButton);
		form.addEventListener("submit", (event) => {
			event.preventDefault();
			this.submit();
		});
		this.input.addEventListener("keydown", (event) => {
			// Enter sends; Shift+Enter is a new line, and Enter that confirms an IME composition is neither.
			if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
				event.preventDefault();
				form.requestSubmit();
			}
		});
		this.input.addEventListener("input", () => this.sendTyping());

		this.dialog = el(
			"dialog",
			{ class: "dialog" },
			el("form", { method: "dialog" }, this.dialogText, el("div", { class: "dialog-actions" }, el("button", { value: "cancel", class: "btn btn-quiet" }, t.cancel), this.dialogConfirm)),
		);
		this.dialog.addEventListener("close", () => {
			if (this.dialog.returnValue === "ok") this.dialogAction?.();
			this.dialogAction = null;
		});

		this.root = el(
			"section",
			{ class: "chat" },
			card,
			options.role === "customer" ? el("p", { class: "visibility-note" }, t.visibilityNote) : null,
			options.aside,
			this.banner,
			this.connection,
			this.log,
			el("div", { class: "composer-wrap" }, this.typing, this.notice, this.attachments.progress, form, el("p", { class: "composer-hint", id: hintId }, t.composerHint)),
			this.dialog,
		);

		this.attachments.acceptDrops(this.root, this.input);
		for (const event of options.history ?? []) this.addEvent(event);
		for (const message of options.client.pendingMessages()) this.addPending(message.clientId, message.text);
		this.stopListening = options.client.subscribe((update) => this.onUpdate(update));
		this.ticker = setInterval(() => this.tick(), 1000);
		document.addEventListener("visibilitychange", this.onVisible);
		this.renderState();
	}

	/** Connects; call once the panel is in the document. */
	start(): void {
		this.log.scrollTop = this.log.scrollHeight;
		this.options.client.connect();
	}

	destroy(): void {
		this.stopListening();
		this.options.client.close();
		clearInterval(this.ticker);
		if (this.noticeTimer) clearTimeout(this.noticeTimer);
		document.removeEventListener("visibilitychange", this.onVisible);
	}

	focusComposer(): void {
		this.input.focus();
	}

	private onUpdate(update: ClientUpdate): void {
		switch (update.type) {
			case "connection":
				this.renderConnection(update.status);
				this.renderState();
				if (update.status === "open") this.markRead();
				return;
			case "state":
				this.liveAfterSeq = update.state.lastSeq;
				this.readByOthers = Math.max(0, ...update.state.participants.filter((p) => p.id !== this.options.me).map((p) => p.lastReadSeq));
				this.renderDelivery();
				this.renderState();
				return;
			case "event":
				this.addEvent(update.event);
				this.renderState();
				this.markRead();
				this.options.onChange?.();
				return;
			case "ack":
				this.pending.get(update.clientId)?.remove();
				this.pending.delete(update.clientId);
				this.options.onChange?.();
				return;
			case "presence":
				this.renderState();
				return;
			case "typing":
				if (update.actor.id === this.options.me) return;
				this.typers.set(update.actor.id, { name: update.actor.name, until: Date.now() + TYPING_SHOWN_MS });
				this.renderTyping();
				return;
			case "read":
				if (update.participantId === this.options.me) return;
				this.readByOthers = Math.max(this.readByOthers, update.seq);
				this.renderDelivery();
				return;
			case "error":
				this.showNotice(update.code === "rate_limited" ? this.options.lang.t.tooFast : update.code === "session_ended" ? this.options.lang.t.chatOver : update.message);
				return;
		}
	}

	private addEvent(event: SessionEvent): void {
		this.events.push(event);
		const { lang, me } = this.options;
		// Customers get invite results without recipients or details: nothing worth showing them.
		if (event.type === "invite_sent" && this.options.role === "customer") return;
		const fileItem = this.attachments.onEvent(event, event.actor?.id === me ? lang.t.you : (event.actor?.name ?? lang.t.someone), event.actor?.id === me);
		if (fileItem !== undefined) return void (fileItem && this.insert(fileItem));
		if (event.type !== "message") {
			this.insert(systemView(lang, event));
			if (event.type === "left" && event.actor?.id === me && event.seq > this.liveAfterSeq) {
				// The session closes this participant's sockets; there is nothing to reconnect to.
				this.left = true;
				this.options.client.close();
			}
			return;
		}
		const mine = event.actor?.id === me;
		const view = messageView(lang, mine ? lang.t.you : (event.actor?.name ?? lang.t.someone), mine, event.at, event.text);
		if (mine) {
			this.pending.get(event.clientId)?.remove();
			this.pending.delete(event.clientId);
			this.own.set(event.seq, view.delivery);
			view.delivery.textContent = this.deliveryText(event.seq);
		}
		if (event.actor && this.typers.delete(event.actor.id)) this.renderTyping();
		this.insert(view.item);
	}

	private addPending(clientId: string, text: string): void {
		const view = messageView(this.options.lang, this.options.lang.t.you, true, null, text);
		view.item.classList.add("pending");
		view.delivery.textContent = this.options.lang.t.sending;
		this.pending.set(clientId, view.item);
		this.stickToBottom(() => this.list.append(view.item));
	}

	/** Adds an item above the messages still being sent, which stay last. */
	private insert(item: HTMLLIElement): void {
		const firstPending = this.pending.values().next().value ?? null;
		this.stickToBottom(() => this.list.insertBefore(item, firstPending));
	}

	private stickToBottom(change: () => void): void {
		const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
		change();
		if (atBottom) this.log.scrollTop = this.log.scrollHeight;
	}

	private deliveryText(seq: number): string {
		return seq <= this.readByOthers ? this.options.lang.t.read : this.options.lang.t.sent;
	}

	private renderDelivery(): void {
		for (const [seq, delivery] of this.own) delivery.textContent = this.deliveryText(seq);
	}

	private submit(): void {
		const { client, lang } = this.options;
		const text = this.input.value.trim();
		if (!text) return;
		if (text.startsWith("/")) {
			const command = text.split(/\s/, 1)[0] ?? text;
			const action = command === "/resolve" ? () => client.resolveCase() : command === "/end" ? () => client.endChat() : null;
			if (!action) return this.showNotice(lang.t.unknownCommand(command));
			if (client.status !== "open") return this.showNotice(lang.t.notConnected);
			action();
		} else {
			if (text.length > LIMITS.maxMessageChars) return this.showNotice(lang.t.tooLong(LIMITS.maxMessageChars));
			const clientId = client.send(text);
			this.addPending(clientId, text);
			this.options.onChange?.();
		}
		this.input.value = "";
		this.lastTypingSent = 0;
	}

	private sendTyping(): void {
		const now = Date.now();
		if (this.input.value.trim() === "" || this.input.value.startsWith("/") || now - this.lastTypingSent < TYPING_SENT_EVERY_MS) return;
		this.lastTypingSent = now;
		this.options.client.typing();
	}

	private markRead(): void {
		const { client } = this.options;
		if (document.visibilityState !== "visible" || client.status !== "open" || client.lastSeq <= this.markedRead) return;
		this.markedRead = client.lastSeq;
		client.markRead(client.lastSeq);
	}

	private confirm(question: string, confirmLabel: string, action: () => void): void {
		this.dialogText.textContent = question;
		this.dialogConfirm.textContent = confirmLabel;
		this.dialogAction = action;
		this.dialog.returnValue = "";
		this.dialog.showModal();
	}

	private showNotice(text: string): void {
		this.notice.textContent = text;
		if (this.noticeTimer) clearTimeout(this.noticeTimer);
		this.noticeTimer = setTimeout(() => (this.notice.textContent = ""), NOTICE_SHOWN_MS);
	}

	private renderConnection(status: ConnectionStatus): void {
		const { t } = this.options.lang;
		const text = status === "reconnecting" ? t.reconnecting : status === "connecting" ? t.connecting : null;
		this.connection.hidden = text === null;
		this.connection.textContent = text ?? "";
		this.connection.classList.toggle("connection-lost", status === "reconnecting");
	}

	private renderState(): void {
		const { client, lang, me } = this.options;
		const { t } = lang;
		const state = client.state;
		const over = this.left || (state !== null && isFinished(state.status));
		const open = client.status === "open";
		for (const action of [this.endButton, this.resolveButton, this.leaveButton]) {
			if (!action) continue;
			action.hidden = over;
			action.disabled = !open;
		}
		this.input.disabled = this.sendButton.disabled = over;
		// A file needs the session's id, which comes with its state.
		this.attachments.disabled = over || state === null;
		if (over) this.input.placeholder = t.chatOver;
		if (!state) return;

		this.caseId.textContent = state.case.caseId;
		this.severity.textContent = t.severity[state.case.severity];
		this.severity.className = `badge sev-${state.case.severity}`;
		this.status.textContent = t.status[state.status];
		this.status.className = `pill st-${state.status}`;
		this.subject.textContent = state.case.subject;
		fill(
			this.people,
			...state.participants
				.filter((p) => p.present)
				.map((p) =>
					el(
						"li",
						{ class: p.online ? "person online" : "person" },
						el("span", { class: "dot", "aria-hidden": "true" }),
						el("span", { class: "person-name", dir: "auto" }, p.name),
						el("span", { class: "person-role" }, p.id === me ? `${t.roles[p.role]} · ${t.you}` : t.roles[p.role]),
						el("span", { class: "visually-hidden" }, p.online ? t.online : t.offline),
					),
				),
		);
		this.tick();
		this.renderBanner(state);
	}

	private renderBanner(state: SessionState): void {
		const { t } = this.options.lang;
		const banner: Banner | null = this.left && !isFinished(state.status) ? { tone: "done", title: t.youLeftTitle, body: t.youLeftBody } : bannerFor(state, this.options.role, this.options.lang);
		this.banner.hidden = banner === null;
		if (!banner) return;
		// Redrawn only when it says something new, so a screen reader hears it once.
		const key = `${banner.tone}|${banner.title}|${banner.body ?? ""}`;
		if (this.banner.dataset.key === key) return;
		this.banner.dataset.key = key;
		this.banner.className = `banner banner-${banner.tone}`;
		fill(
			this.banner,
			el("strong", { class: "banner-title" }, banner.title),
			banner.body ? el("span", { class: "banner-body" }, banner.body) : null,
			isFinished(state.status) && this.options.whenOver ? el("div", { class: "banner-actions" }, ...this.options.whenOver(state)) : null,
		);
	}

	private renderTyping(): void {
		const now = Date.now();
		for (const [id, typer] of this.typers) if (typer.until <= now) this.typers.delete(id);
		const names = [...this.typers.values()].map((typer) => typer.name).join(", ");
		const text = names ? this.options.lang.t.typing(names) : "";
		if (this.typing.textContent !== text) this.typing.textContent = text;
	}

	/** Once a second: the countdown on the card and who is still typing. */
	private tick(): void {
		const state = this.options.client.state;
		if (state) this.timeLeft.textContent = timeLeftText(state, this.options.lang);
		if (this.typers.size > 0) this.renderTyping();
	}
}

function timeLeftText(state: SessionState, { t, format }: Language): string {
	const now = Date.now();
	const { keyExpiresAt, agentWaitEndsAt, chatEndsAt } = state.deadlines;
	if (isFinished(state.status)) return "";
	if (state.status === "pending" && keyExpiresAt !== null) return t.keyExpiresIn(format.countdown(keyExpiresAt - now));
	if (agentWaitEndsAt !== null) return t.waitsUntil(format.when(agentWaitEndsAt));
	if (chatEndsAt !== null) return t.chatClosesIn(format.countdown(chatEndsAt - now));
	return "";
}

function bannerFor(state: SessionState, role: Role, { t, format }: Language): Banner | null {
	const customer = role === "customer";
	switch (state.status) {
		case "pending":
			return customer ? { tone: "info", title: t.waitingTitle, body: t.waitingBody } : { tone: "info", title: t.pendingTitle, body: t.pendingBody };
		case "waiting": {
			if (!customer) return { tone: "warn", title: t.customerWaitingTitle, body: null };
			const waitUntil = state.deadlines.agentWaitEndsAt;
			return waitUntil !== null
				? { tone: "warn", title: t.agentLeftTitle, body: t.agentLeftBody(format.when(waitUntil)) }
				: { tone: "info", title: t.waitingTitle, body: t.waitingBody };
		}
		case "active": {
			if (!customer) return null;
			const agents = state.participants.filter((p) => p.role === "agent" && p.present).map((p) => p.name);
			return { tone: "ok", title: t.activeTitle(agents.join(", ")), body: null };
		}
		case "ended":
			return { tone: "done", title: t.chatEndedTitle, body: t.chatEndedBody };
		case "resolved":
			return { tone: "ok", title: t.resolvedTitle, body: customer ? t.resolvedBody : null };
		case "expired":
			return { tone: "warn", title: t.keyExpiredTitle, body: customer ? t.keyExpiredBody : null };
	}
}
