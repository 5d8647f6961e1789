/**
 * The chat's scrolling message list: each event in order, the sender's own messages with their
 * delivery state (Sending…, Sent, Read), and the messages not yet acknowledged last. A reader at
 * the bottom stays there as messages arrive; one who has scrolled up is shown a "New messages"
 * button that takes them down instead of being pulled away from what they were reading.
 */
import type { SessionEvent } from "../../shared/protocol";
import { button, el } from "./dom";
import { messageView, systemView } from "./event-view";
import type { Language } from "./i18n";
import type { Bubble, OwnActions, Side } from "./revisions-view";
import { addOwnActions, applyRevision, bubbleOf, markUnattended } from "./revisions-view";
import { oncePerTask } from "./once-per-task";

/** How near the bottom, in pixels, still counts as reading the newest message. */
const AT_BOTTOM_PX = 60;

export class MessageLog {
	readonly root: HTMLDivElement;
	private readonly scroller: HTMLDivElement;
	private readonly list = el("ol", { class: "log-list" });
	private readonly marker: HTMLButtonElement;
	/** The sender's own messages by sequence number: where their delivery state shows. */
	private readonly own = new Map<number, HTMLSpanElement>();
	/** Messages sent and not yet in the log, by their client id. */
	private readonly pending = new Map<string, HTMLLIElement>();
	/** How far the others have read: the highest read position among them. */
	private readByOthers = 0;
	/** Whether the reader is at the newest message; kept from their own scrolling. */
	private stuck = true;
	/**
	 * Where the page itself last put the log. A reader's scroll is heard only when the browser
	 * dispatches its event, at the next frame: one made in the task a message lands in shows only
	 * as the log standing above this, and must not be undone by following the newest.
	 */
	private placedAt = 0;
	/** Whether the items waiting to be followed include news for the reader (not their own). */
	private newsWaiting = false;
	/**
	 * To the newest once the items of this task are in, before the page paints: reading the height
	 * lays the log out, and a phone took half a second doing that after each of ten messages (W7).
	 */
	private readonly scrollToEndSoon = oncePerTask(() => this.followNewest());
	private readonly resized: ResizeObserver;
	/** Every message drawn, by sequence number: where its revisions land (revisions-view.ts). */
	private readonly bubbles = new Map<number, Bubble>();

	constructor(
		private readonly lang: Language,
		private readonly me: string,
		/** Who is allowed to see what: customers get no invite results. */
		private readonly shows: (event: SessionEvent) => boolean,
		/** The reader's side (agents keep every revision in view), and what their own messages offer. */
		private readonly revisions: { side: Side; own: OwnActions | null } = { side: "customer", own: null },
	) {
		const { t } = lang;
		this.scroller = el("div", { class: "log", role: "log", "aria-label": t.messages, tabindex: 0 }, this.list);
		this.marker = button(t.newMessages, () => this.scrollToNewest(), { class: "btn btn-primary btn-small new-messages", hidden: true });
		this.root = el("div", { class: "log-wrap" }, this.scroller, this.marker);
		this.scroller.addEventListener("scroll", () => {
			this.stuck = this.distanceFromBottom() < AT_BOTTOM_PX;
			if (this.stuck) this.marker.hidden = true;
		});
		// The window or the keyboard changed the log's height: the newest message stays in view.
		this.resized = new ResizeObserver(() => this.followNewest());
		this.resized.observe(this.scroller);
	}

	destroy(): void {
		this.resized.disconnect();
	}

	scrollToNewest(): void {
		this.stuck = true;
		this.marker.hidden = true;
		this.place(this.scroller.scrollHeight);
	}

	/** The reader's place in the log, to give back after switching chats. */
	get scrollTop(): number {
		return this.scroller.scrollTop;
	}

	restoreScroll(top: number | null): void {
		if (top === null) return this.scrollToNewest();
		this.place(top);
		this.stuck = this.distanceFromBottom() < AT_BOTTOM_PX;
	}

	add(event: SessionEvent): void {
		if (!this.shows(event)) return;
		const { lang, me } = this;
		if (event.type === "message_edited" || event.type === "message_deleted") {
			const bubble = this.bubbles.get(event.of);
			if (bubble) return applyRevision(lang, bubble, event, this.revisions.side);
		}
		if (event.type !== "message") {
			// An agent leaving is one line for the reader: the "stepped away" that says until when.
			const last = this.lastItem();
			if (event.type === "agent_away" && last?.dataset.event === "left" && last.dataset.actor === event.actor?.id) last.remove();
			return this.insert(systemView(lang, event, me), false);
		}
		const mine = event.actor?.id === me;
		const author = mine ? lang.t.you : (event.actor?.name ?? lang.t.someone);
		const view = messageView(lang, author, mine, event.at, event.text);
		const bubble = bubbleOf(view.item, event.at, author, event.text);
		if (bubble) {
			this.bubbles.set(event.seq, bubble);
			if (event.unattended && this.revisions.side === "agent") markUnattended(lang, bubble);
			if (mine && this.revisions.own) addOwnActions(lang, bubble, event.seq, this.revisions.own);
		}
		if (mine) {
			this.pending.get(event.clientId)?.remove();
			this.pending.delete(event.clientId);
			this.own.set(event.seq, view.delivery);
			view.delivery.textContent = this.deliveryText(event.seq);
		}
		this.insert(view.item, !mine);
	}

	/** An item drawn elsewhere (a file, attachments.ts), in its place among the events. */
	addItem(item: HTMLLIElement, news: boolean): void {
		this.insert(item, news);
	}

	addPending(clientId: string, text: string): void {
		const view = messageView(this.lang, this.lang.t.you, true, null, text);
		view.item.classList.add("pending");
		view.delivery.textContent = this.lang.t.sending;
		this.pending.set(clientId, view.item);
		this.list.append(view.item);
		// What the reader writes is what they want to see.
		this.scrollToNewest();
	}

	acknowledged(clientId: string): void {
		this.pending.get(clientId)?.remove();
		this.pending.delete(clientId);
	}

	readBy(seq: number): void {
		if (seq <= this.readByOthers) return;
		this.readByOthers = seq;
		for (const [ownSeq, delivery] of this.own) delivery.textContent = this.deliveryText(ownSeq);
	}

	private deliveryText(seq: number): string {
		return seq <= this.readByOthers ? this.lang.t.read : this.lang.t.sent;
	}

	private lastItem(): HTMLElement | null {
		const firstPending = this.pending.values().next().value;
		const last = firstPending ? firstPending.previousElementSibling : this.list.lastElementChild;
		return last instanceof HTMLElement ? last : null;
	}

	/** Adds an item above the messages still being sent, which stay last. */
	private insert(item: HTMLLIElement, news: boolean): void {
		this.list.insertBefore(item, this.pending.values().next().value ?? null);
		if (this.stuck) {
			this.newsWaiting ||= news;
			this.scrollToEndSoon();
		} else if (news) this.marker.hidden = false;
	}

	/** The newest message stays in view while the reader is at it. */
	private followNewest(): void {
		const news = this.newsWaiting;
		this.newsWaiting = false;
		if (!this.stuck) return;
		// Scrolled up, and not yet heard by the scroll listener: they have left the newest. At the
		// bottom, a lower place is the browser's own (a taller log) and the newest is still in view.
		if (this.placedAt - this.scroller.scrollTop >= AT_BOTTOM_PX && this.distanceFromBottom() >= AT_BOTTOM_PX) {
			this.stuck = false;
			if (news) this.marker.hidden = false;
			return;
		}
		this.place(this.scroller.scrollHeight);
	}

	/** Puts the log at `top`, as far as it goes, and remembers where that was. */
	private place(top: number): void {
		this.scroller.scrollTop = top;
		this.placedAt = this.scroller.scrollTop;
	}

	private distanceFromBottom(): number {
		return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight;
	}
}
