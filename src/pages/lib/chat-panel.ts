/**
 * The chat as both sides see it: the pinned case card with its actions, the banner that says
 * where the chat stands, the message log, who is typing, and the message box. It draws what a
 * SessionClient reports and sends through it; the page around it decides what to keep across a
 * reload, and (in the console) when the panel is on screen.
 */
import type { ClientUpdate, ConnectionStatus, SessionClient } from "../../client/session-client";
import type { Role, SessionEvent, SessionState } from "../../shared/protocol";
import { isFinished } from "../../shared/protocol";
import { Attachments } from "./attachments";
import { CaseCard } from "./case-card";
import type { Banner } from "./chat-banner";
import { BannerView, bannerFor, handoverBanner, leftBanner } from "./chat-banner";
import type { Command } from "./commands";
import { Composer } from "./composer";
import { ConfirmDialog } from "./confirm-dialog";
import { button, el } from "./dom";
import type { Language } from "./i18n";
import { MessageLog } from "./message-log";
import { oncePerTask } from "./once-per-task";
import { TypingLine } from "./typing-line";
import { REFUSALS } from "../../shared/refusals";

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
	/** More actions on the case card, after the panel's own (the customer's "Continue on another device"). */
	actions?: HTMLElement[];
	/** Beside who is in the chat on the case card: "People and devices" (people-dialog.ts). */
	people?: HTMLElement;
	/** After anything worth keeping across a reload: an event, an acknowledgement, a send. */
	onChange?: () => void;
	/** Controls to offer once the chat is over (the console's transcript button). */
	whenOver?: (state: SessionState) => HTMLElement[];
}

export class ChatPanel {
	readonly root: HTMLElement;
	/** Every event drawn, in order: what a page keeps to redraw after a reload. */
	readonly events: SessionEvent[] = [];
	private readonly card: CaseCard;
	private readonly log: MessageLog;
	private readonly composer: Composer;
	private readonly attachments: Attachments;
	private readonly dialog: ConfirmDialog;
	private readonly endButton: HTMLButtonElement;
	private readonly resolveButton: HTMLButtonElement;
	/** Agents only: leave the chat without ending it. */
	private readonly leaveButton: HTMLButtonElement | null;
	/** Why this reader is out of the chat for good (removed, their link revoked); null while they are not. */
	private shutOut: Banner | null = null;
	/** When this viewer left the chat, and until when the customer can come back; null while in it. */
	private left: { at: number; waitUntil: number | null; handedTo?: string | null } | null = null;
	/** Events after this one happen now; those up to it are the history replayed on connect. */
	private liveAfterSeq = Number.POSITIVE_INFINITY;
	/** The customer's note about who can see the chat: it matters only while the chat is on. */
	private readonly note: HTMLElement | null;
	private readonly banner = new BannerView();
	private readonly connection = el("div", { class: "connection", role: "status", hidden: true });
	private readonly typers: TypingLine;
	private markedRead = 0;
	/**
	 * Once the events of this task are drawn: the card, the banner, the read receipt and what the
	 * page keeps follow the last of them (after each one, a replayed history kept a phone busy for
	 * a third of a second, W7).
	 */
	private readonly afterEvents = oncePerTask(() => {
		this.renderState();
		this.markRead();
		this.options.onChange?.();
	});
	/** The latest event someone else wrote or did: what a read receipt is for. */
	private othersSeq = 0;
	/** Where the reader was in the log when the panel was taken off screen. */
	private savedScroll: number | null = null;
	private readonly ticker: ReturnType<typeof setInterval>;
	private readonly stopListening: () => void;
	private readonly onVisible = () => this.markRead();

	constructor(private readonly options: ChatPanelOptions) {
		const { t } = options.lang;
		const { client } = options;
		this.dialog = new ConfirmDialog(t.cancel);
		this.endButton = button(t.endChat, () => this.ask("end"), { class: "btn btn-quiet" });
		this.resolveButton = button(t.resolveCase, () => this.ask("resolve"), { class: "btn" });
		this.leaveButton = options.role === "agent" ? button(t.leaveChat, () => this.dialog.ask(t.confirmLeave, t.leaveChat, () => client.leave()), { class: "btn btn-quiet" }) : null;
		this.card = new CaseCard(options.lang, options.me, [this.leaveButton, this.endButton, this.resolveButton, ...(options.actions ?? [])].filter((b) => b !== null), options.people);
		// Invites, and offers of the chat to another agent, are the desk's business; a done handover is everyone's.
		const desksOnly = new Set<string>(["invite_sent", "transfer_offered", "transfer_withdrawn"]);
		this.log = new MessageLog(options.lang, options.me, (event) => !(desksOnly.has(event.type) && (options.role === "customer" || options.role === "member")), {
			side: options.role === "agent" || options.role === "specialist" ? "agent" : "customer",
			own: { edit: (seq, text) => client.editMessage(seq, text), remove: (seq) => client.deleteMessage(seq), confirm: (question, label, then) => this.dialog.ask(question, label, then) },
		});
		this.attachments = new Attachments({ lang: options.lang, client, notice: (text) => this.composer.showNotice(text) });
		this.composer = new Composer(
			options.lang,
			{
				send: (text) => this.send(text),
				command: (command) => this.ask(command),
				typing: () => client.typing(),
			},
			this.attachments,
		);
		this.typers = new TypingLine(options.lang, this.composer.typing);

		this.note = options.role === "customer" ? el("p", { class: "visibility-note" }, t.visibilityNote) : null;
		this.root = el(
			"section",
			{ class: "chat" },
			this.card.root,
			this.note,
			options.aside,
			this.banner.root,
			this.connection,
			this.log.root,
			this.composer.root,
			this.dialog.root,
		);

		this.attachments.acceptDrops(this.root, this.composer.root);
		for (const event of options.history ?? []) this.addEvent(event);
		for (const message of client.pendingMessages()) this.log.addPending(message.clientId, message.text);
		this.stopListening = client.subscribe((update) => this.onUpdate(update));
		this.ticker = setInterval(() => this.tick(), 1000);
		document.addEventListener("visibilitychange", this.onVisible);
		this.renderState();
	}

	/** Connects; call once the panel is in the document. */
	start(): void {
		// The socket first: scrolling lays the page out, which on a slow phone takes a while (W7).
		this.options.client.connect();
		this.log.scrollToNewest();
	}

	/** The console takes the panel off screen to show another chat: it keeps the reader's place. */
	hide(): void {
		this.savedScroll = this.log.scrollTop;
		this.root.remove();
	}

	/** Back on screen (after `hide`): the place in the log as it was, and what came meanwhile is read. */
	shown(): void {
		this.log.restoreScroll(this.savedScroll);
		this.markRead();
	}

	destroy(): void {
		this.stopListening();
		this.options.client.close();
		clearInterval(this.ticker);
		this.composer.destroy();
		this.log.destroy();
		document.removeEventListener("visibilitychange", this.onVisible);
	}

	focusComposer(): void {
		this.composer.focus();
	}

	private onUpdate(update: ClientUpdate): void {
		const { t } = this.options.lang;
		switch (update.type) {
			case "connection":
				// The session closes a leaver's sockets once it has sent what followed the leaving.
				if (this.left && update.status === "reconnecting") return this.options.client.close();
				this.renderConnection(update.status);
				this.renderState();
				if (update.status === "open") this.markRead();
				return;
			case "state":
				this.liveAfterSeq = update.state.lastSeq;
				this.log.readBy(Math.max(0, ...update.state.participants.filter((p) => p.id !== this.options.me).map((p) => p.lastReadSeq)));
				this.renderState();
				return;
			case "event":
				this.addEvent(update.event);
				this.afterEvents();
				return;
			case "ack":
				this.log.acknowledged(update.clientId);
				this.options.onChange?.();
				return;
			case "presence":
				this.renderState();
				return;
			case "typing":
				if (update.actor.id !== this.options.me) this.typers.typing(update.actor);
				return;
			case "read":
				if (update.participantId !== this.options.me) this.log.readBy(update.seq);
				return;
			case "error":
				// The session's last word before it closes a device it no longer lets in.
				if (update.message === REFUSALS.link_revoked.error) return this.shut({ tone: "warn", title: t.members.linkRevokedTitle, body: t.members.linkRevokedBody });
				// Said already, by the removal's own event.
				if (update.message === REFUSALS.removed.error) return;
				this.composer.showNotice(update.code === "rate_limited" ? t.tooFast : update.code === "session_ended" ? t.chatOver : update.message);
				return;
		}
	}

	private addEvent(event: SessionEvent): void {
		this.events.push(event);
		if (event.actor?.id !== this.options.me) this.othersSeq = Math.max(this.othersSeq, event.seq);
		const mine = event.actor?.id === this.options.me;
		const fileItem = this.attachments.onEvent(event, mine ? this.options.lang.t.you : (event.actor?.name ?? this.options.lang.t.someone), mine);
		if (fileItem === undefined) this.log.add(event);
		else if (fileItem) this.log.addItem(fileItem, !mine);
		if (event.actor) this.typers.sent(event.actor.id);
		if (event.type === "removed" && event.participantId === this.options.me) this.shut({ tone: "warn", title: this.options.lang.t.members.removedTitle, body: this.options.lang.t.members.removedBody });
		if (event.actor?.id !== this.options.me || event.seq <= this.liveAfterSeq) return;
		if (event.type === "left") this.left = { at: event.at, waitUntil: null };
		// Handed over: out of the chat like a leaver, though nothing waits for this viewer to come back.
		else if (event.type === "transferred") this.left = { at: event.at, waitUntil: null, handedTo: event.to?.name ?? null };
		else if (event.type === "agent_away" && this.left) this.left.waitUntil = event.waitUntil;
	}

	/** Out for good: the banner says why, and nothing more can be sent from here. */
	private shut(why: Banner): void {
		this.shutOut = why;
		this.renderState();
	}

	private send(text: string): boolean {
		const { client, lang } = this.options;
		if (client.status === "closed") {
			this.composer.showNotice(lang.t.notConnected);
			return false;
		}
		const clientId = client.send(text);
		this.log.addPending(clientId, text);
		this.options.onChange?.();
		return true;
	}

	/** End and resolve ask first, whether from the button or typed as a command. */
	private ask(command: Command): void {
		const { client, lang } = this.options;
		const { t } = lang;
		if (client.status !== "open") return this.composer.showNotice(t.notConnected);
		if (command === "end") this.dialog.ask(t.confirmEnd, t.endChat, () => client.endChat());
		else this.dialog.ask(t.confirmResolve, t.resolveCase, () => client.resolveCase());
	}

	private markRead(): void {
		const { client } = this.options;
		// Read means seen: the tab in front and this chat on screen.
		if (document.visibilityState !== "visible" || !this.root.isConnected || client.status !== "open") return;
		// One's own messages need no receipt: each receipt is a row the session writes (docs/performance.md, W6).
		if (this.othersSeq <= this.markedRead || client.lastSeq <= this.markedRead) return;
		this.markedRead = client.lastSeq;
		client.markRead(client.lastSeq);
	}

	private renderConnection(status: ConnectionStatus): void {
		const { t } = this.options.lang;
		const text = status === "reconnecting" ? t.reconnecting : status === "connecting" ? t.connecting : null;
		this.connection.hidden = text === null;
		this.connection.textContent = text ?? "";
		this.connection.classList.toggle("connection-lost", status === "reconnecting");
	}

	private renderState(): void {
		const { client, lang } = this.options;
		const { t } = lang;
		const state = client.state;
		const finished = state !== null && isFinished(state.status);
		const open = client.status === "open";
		const out = this.shutOut !== null;
		// Nothing of one's own to edit or delete once out of the chat, or once it is over.
		this.root.classList.toggle("chat-closed", finished || out || this.left !== null);
		for (const action of [this.endButton, this.resolveButton, this.leaveButton]) {
			if (!action) continue;
			action.hidden = finished || this.left !== null || out;
			action.disabled = !open;
		}
		// Once the chat is over there is nothing to continue elsewhere, and nobody left to see it.
		for (const extra of [...(this.options.actions ?? []), this.options.people, this.note]) if (extra) extra.hidden = finished || out;
		this.composer.setClosed(this.shutOut ? this.shutOut.title : finished ? t.chatOver : this.left ? (this.left.handedTo === undefined ? t.youLeftComposer : t.transfer.youHandedOverComposer) : null);
		// A file needs the session's id, which comes with its state.
		this.attachments.disabled = finished || this.left !== null || out || state === null;
		if (!state) return;
		this.card.update(state, this.left !== null);
		this.renderBanner(state);
	}

	private renderBanner(state: SessionState): void {
		const { lang, role, whenOver } = this.options;
		const finished = isFinished(state.status);
		const left = this.left;
		const banner: Banner | null = this.shutOut ?? (left && !finished ? (left.handedTo === undefined ? leftBanner(lang, left.waitUntil, left.at) : handoverBanner(lang, left.handedTo)) : bannerFor(state, role, lang));
		this.banner.show(banner, finished && whenOver ? whenOver(state) : null);
	}

	/** Once a second: the countdown on the card and who is still typing. */
	private tick(): void {
		const state = this.options.client.state;
		if (state) this.card.tick(state);
		this.typers.tick();
	}
}
