/**
 * The console's "Waiting for an agent" panel: the live queue, longest wait first, with the count
 * and, for each chat that starts waiting, the chime and a line for screen readers.
 */
import type { QueueEntry } from "../../shared/queue";
import type { TransferOfferEntry } from "../../shared/transfer";
import { el, fill } from "../lib/dom";
import type { ConsoleLanguage } from "../lib/i18n";
import { QueueFeed } from "./queue-feed";
import { queueItem, waitedText } from "./queue-list";

export interface QueueHooks {
	join(sessionId: string): void;
	/** The queue changed; `fresh` are the chats that started waiting since the last change. */
	changed(count: number, fresh: QueueEntry[]): void;
	/** The sign-in was ended elsewhere (sign out everywhere): the feed has closed for good. */
	signedOut(): void;
	/** The chats offered to this agent, from the same feed. */
	transfers(offers: TransferOfferEntry[]): void;
}

export class QueuePanel {
	readonly root: HTMLElement;
	readonly list: HTMLUListElement;
	count = 0;
	private readonly countBadge = el("span", { class: "count" }, "0");
	private readonly live = el("p", { class: "queue-live", role: "status" });
	private readonly feed: QueueFeed;
	private ids: Set<string> | null = null;

	constructor(
		private readonly lang: ConsoleLanguage,
		soundToggle: HTMLElement,
		private readonly hooks: QueueHooks,
	) {
		const c = lang.t.console;
		this.list = el("ul", { class: "queue-list", "aria-label": c.queueLabel });
		this.feed = new QueueFeed(
			(queue) => this.show(queue),
			(live) => {
				this.live.textContent = live ? "" : c.queueReconnecting;
			},
			() => hooks.signedOut(),
			(offers) => hooks.transfers(offers),
		);
		this.root = el(
			"section",
			{ class: "panel queue", "aria-labelledby": "queue-title" },
			el("div", { class: "section-head" }, el("h2", { id: "queue-title" }, c.queueTitle, " ", this.countBadge), soundToggle),
			this.live,
			this.list,
		);
	}

	start(): void {
		this.feed.start();
	}

	stop(): void {
		this.feed.stop();
	}

	markCurrent(current: string | null): void {
		for (const item of this.list.querySelectorAll<HTMLElement>("[data-session]")) item.classList.toggle("current", item.dataset.session === current);
	}

	tick(): void {
		for (const waited of this.list.querySelectorAll<HTMLElement>("[data-since]")) waited.textContent = waitedText(this.lang, Number(waited.dataset.since));
	}

	private show(queue: QueueEntry[]): void {
		const before = this.ids;
		const fresh = queue.filter((entry) => before !== null && !before.has(entry.sessionId));
		this.ids = new Set(queue.map((entry) => entry.sessionId));
		this.count = queue.length;
		this.countBadge.textContent = String(queue.length);
		if (queue.length === 0) fill(this.list, el("li", { class: "empty" }, this.lang.t.console.nobodyWaiting));
		else fill(this.list, ...queue.map((entry) => queueItem(entry, this.lang, (id) => this.hooks.join(id), fresh.includes(entry))));
		this.hooks.changed(queue.length, fresh);
	}
}
