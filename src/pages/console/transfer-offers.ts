/**
 * The console's "Offered to you" panel: the chats another agent is handing to this one, from the
 * live feed (GET /api/queue/ws), each with its case, its customer, who offers it and the time left
 * to answer, and Accept and Decline. Hidden while nothing is offered; an offer that arrives chimes
 * and is announced, as a customer starting to wait is.
 */
import * as z from "zod/mini";
import type { TransferOfferEntry } from "../../shared/transfer";
import { button, el, fill } from "../lib/dom";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";

export interface TransferOfferHooks {
	/** The chat is now this agent's: the console opens it. */
	accepted(sessionId: string): void;
	/** An answer the server refused (the offer was withdrawn or expired meanwhile). */
	refused(answer: Extract<Answer<unknown>, { ok: false }>): void;
	/** The number of offers shown changed (the tab title counts them). */
	changed(): void;
	/** Offers that were not shown before: the console chimes and announces them. */
	arrived(offers: TransferOfferEntry[]): void;
}

export class TransferOffersPanel {
	readonly root: HTMLElement;
	private readonly list: HTMLUListElement;
	private offers: TransferOfferEntry[] = [];
	private shownCount = 0;
	/** Every offer shown so far: one shown again after a reconnect is not news. */
	private readonly seen = new Set<string>();

	constructor(
		private readonly lang: ConsoleLanguage,
		private readonly hooks: TransferOfferHooks,
	) {
		const x = lang.t.transfer;
		this.list = el("ul", { class: "queue-list offer-list", "aria-label": x.offersTitle });
		this.root = el("section", { class: "panel offers", "aria-labelledby": "offers-title", hidden: true }, el("div", { class: "section-head" }, el("h2", { id: "offers-title" }, x.offersTitle)), this.list);
	}

	get count(): number {
		return this.shownCount;
	}

	/** The offers as the feed last sent them. */
	show(offers: TransferOfferEntry[]): void {
		const arrived = offers.filter((offer) => !this.seen.has(offerKey(offer)));
		for (const offer of arrived) this.seen.add(offerKey(offer));
		this.offers = offers;
		this.render();
		if (arrived.length > 0) this.hooks.arrived(arrived);
	}

	/** Accept or decline: the offer goes from the list at once, before the feed says so. */
	private async answer(offer: TransferOfferEntry, answer: "accept" | "decline"): Promise<void> {
		this.offers = this.offers.filter((o) => o.sessionId !== offer.sessionId);
		this.render();
		const done = await call(`/api/sessions/${encodeURIComponent(offer.sessionId)}/transfer/${answer}`, z.unknown(), { method: "POST" });
		if (!done.ok) return this.hooks.refused(done);
		if (answer === "accept") this.hooks.accepted(offer.sessionId);
	}

	/** Once a second: the time left on each, and offers that ran out go. */
	tick(): void {
		const now = Date.now();
		if (this.offers.some((offer) => offer.expiresAt <= now)) {
			this.offers = this.offers.filter((offer) => offer.expiresAt > now);
			return this.render();
		}
		for (const left of this.list.querySelectorAll<HTMLElement>("[data-expires]")) left.textContent = this.timeLeft(Number(left.dataset.expires));
	}

	private render(): void {
		const x = this.lang.t.transfer;
		const now = Date.now();
		const live = this.offers.filter((offer) => offer.expiresAt > now);
		this.root.hidden = live.length === 0;
		if (live.length !== this.shownCount) {
			this.shownCount = live.length;
			this.hooks.changed();
		}
		fill(
			this.list,
			...live.map((offer) =>
				el(
					"li",
					{ class: "queue-item offer-item", "data-session": offer.sessionId, "data-severity": offer.severity },
					el(
						"div",
						{ class: "queue-item-main" },
						el("p", { class: "queue-item-subject", dir: "auto" }, offer.subject),
						el(
							"p",
							{ class: "queue-item-meta" },
							el("span", { class: "case-id" }, offer.caseId),
							el("span", { class: `badge sev-${offer.severity}` }, this.lang.t.severity[offer.severity]),
							el("span", { class: "waited", "data-expires": offer.expiresAt }, this.timeLeft(offer.expiresAt)),
						),
						el("p", { class: "queue-item-note", dir: "auto" }, x.offerMeta(offer.customerName, offer.from)),
					),
					el(
						"div",
						{ class: "offer-actions" },
						button(x.accept, () => void this.answer(offer, "accept"), { class: "btn btn-primary", "aria-label": x.acceptLabel(offer.subject) }),
						button(x.decline, () => void this.answer(offer, "decline"), { class: "btn btn-quiet", "aria-label": x.declineLabel(offer.subject) }),
					),
				),
			),
		);
	}

	private timeLeft(expiresAt: number): string {
		return this.lang.t.transfer.timeLeft(this.lang.format.countdown(Math.max(0, expiresAt - Date.now())));
	}
}

/** An offer is news when this chat was not offered at that moment before (a second offer of the same chat is). */
function offerKey(offer: TransferOfferEntry): string {
	return `${offer.sessionId}@${offer.offeredAt}`;
}
