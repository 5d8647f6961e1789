/**
 * The console's "Availability" panel: available or away (offline is a closed console), how many
 * chats at once, and the chats routing offers this agent, each with its time to accept. A new
 * offer rings (the console's chime) and is announced; accepting opens the chat as picking it from
 * the queue would.
 */
import * as z from "zod/mini";
import type { Availability, Offer, RoutingFrame } from "../../shared/routing";
import { MyRoutingSchema } from "../../shared/routing";
import { button, el, field, fill } from "../lib/dom";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";
import { RoutingFeed } from "./routing-feed";

export interface RoutingHooks {
	/** A new offer arrived: ring and announce it. */
	offered(offer: Offer): void;
	/** The agent accepted: open the chat. */
	accepted(sessionId: string): void;
	failed(answer: Extract<Answer<unknown>, { ok: false }>): string | null;
}

const Accepted = z.object({ sessionId: z.string() });
const Declined = z.object({ declined: z.boolean() });
const Saved = z.object({ teams: z.array(z.object({ availability: z.string() })) });

export class RoutingPanel {
	readonly root: HTMLElement;
	private readonly availability: HTMLSelectElement;
	private readonly capacity: HTMLInputElement;
	private readonly status = el("p", { class: "routing-status", role: "status" });
	private readonly offers = el("ul", { class: "offer-list" });
	private readonly problem = el("p", { class: "form-error", role: "alert" });
	private readonly feed = new RoutingFeed((frame) => this.show(frame));
	/** The latest frame from each team's router. */
	private readonly teams = new Map<string, RoutingFrame>();
	private readonly seen = new Set<string>();

	constructor(
		private readonly lang: ConsoleLanguage,
		private readonly hooks: RoutingHooks,
	) {
		const r = lang.t.routing;
		this.availability = el("select", { name: "availability" }, el("option", { value: "available" }, r.available), el("option", { value: "away" }, r.away));
		this.availability.addEventListener("change", () => void this.save({ availability: this.availability.value === "away" ? "away" : "available" }));
		this.capacity = el("input", { name: "capacity", type: "number", min: 1, max: 20, step: 1, inputmode: "numeric" });
		this.capacity.addEventListener("change", () => {
			const value = Number(this.capacity.value);
			if (Number.isInteger(value) && value >= 1 && value <= 20) void this.save({ capacity: value });
		});
		this.root = el(
			"section",
			{ class: "panel routing", "aria-labelledby": "routing-title" },
			el("div", { class: "section-head" }, el("h2", { id: "routing-title" }, r.title)),
			el("div", { class: "routing-controls" }, field(r.availability, this.availability), field(r.capacity, this.capacity)),
			this.status,
			this.problem,
			this.offers,
		);
	}

	async start(): Promise<void> {
		const me = await call("/api/routing/me", MyRoutingSchema);
		if (!me.ok) {
			this.problem.textContent = this.hooks.failed(me) ?? "";
			return;
		}
		this.capacity.value = String(me.data.capacity);
		this.feed.start(me.data.teams.map((t) => t.id));
	}

	stop(): void {
		this.feed.stop();
	}

	/** Redraws the countdowns; the console calls it every second. */
	tick(): void {
		for (const item of this.offers.querySelectorAll<HTMLElement>("[data-expires]")) {
			const left = Math.max(0, Math.ceil((Number(item.dataset.expires) - Date.now()) / 1000));
			const timer = item.querySelector(".offer-left");
			if (timer) timer.textContent = this.lang.t.routing.secondsLeft(left);
		}
	}

	private async save(change: { availability?: Exclude<Availability, "offline">; capacity?: number }): Promise<void> {
		const answer = await call("/api/routing/me", Saved, { method: "POST", body: change });
		this.problem.textContent = answer.ok ? "" : (this.hooks.failed(answer) ?? "");
	}

	private show(frame: RoutingFrame): void {
		this.teams.set(frame.team, frame);
		const r = this.lang.t.routing;
		const frames = [...this.teams.values()];
		const online = frames.find((f) => f.availability !== "offline");
		if (online && document.activeElement !== this.availability) this.availability.value = online.availability;
		if (document.activeElement !== this.capacity) this.capacity.value = String(frame.capacity);
		const load = frames.reduce((sum, f) => sum + f.load - f.offers.length, 0);
		this.status.textContent = `${r[online?.availability ?? "offline"]} · ${r.load(load, frame.capacity)}`;
		const offers = frames.flatMap((f) => f.offers);
		fill(this.offers, ...offers.map((offer) => this.offerItem(offer)));
		for (const offer of offers) {
			if (this.seen.has(offer.sessionId)) continue;
			this.seen.add(offer.sessionId);
			this.hooks.offered(offer);
		}
		// An offer that went away may come back later (after a timeout elsewhere): it rings again then.
		for (const id of [...this.seen]) if (!offers.some((o) => o.sessionId === id)) this.seen.delete(id);
		this.tick();
	}

	private offerItem(offer: Offer): HTMLElement {
		const r = this.lang.t.routing;
		const accept = button(r.accept, () => void this.answer(offer, "accept"), { class: "btn btn-primary btn-small" });
		const decline = button(r.decline, () => void this.answer(offer, "decline"), { class: "btn btn-quiet btn-small" });
		return el(
			"li",
			{ class: "offer", "data-expires": offer.expiresAt, "data-session": offer.sessionId },
			el("p", { class: "offer-who" }, r.offered(offer.customerName)),
			el("p", { class: "offer-subject" }, offer.subject),
			el("p", { class: "offer-left" }),
			el("div", { class: "offer-actions" }, accept, decline),
		);
	}

	private async answer(offer: Offer, what: "accept" | "decline"): Promise<void> {
		const path = `/api/routing/offers/${encodeURIComponent(offer.sessionId)}/${what}`;
		if (what === "decline") {
			const answer = await call(path, Declined, { method: "POST", body: { team: offer.team } });
			if (!answer.ok) this.problem.textContent = this.hooks.failed(answer) ?? "";
			return;
		}
		const answer = await call(path, Accepted, { method: "POST", body: { team: offer.team } });
		if (answer.ok) {
			this.problem.textContent = "";
			this.hooks.accepted(offer.sessionId);
		} else {
			this.problem.textContent = answer.status === 409 ? this.lang.t.routing.gone : (this.hooks.failed(answer) ?? "");
		}
	}
}
