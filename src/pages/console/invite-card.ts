/**
 * For a session just started: the support key, large and grouped for reading aloud, the time
 * left on it, and the three ways to invite (copy the link, SMS, email). A channel this deployment
 * has not set up says so before any click; what the invite endpoint answers is shown as it is,
 * refusals included: nothing here pretends a message was sent.
 */
import type { CustomerContact, StartedSession } from "../../shared/api";
import { ReissuedLinkSchema } from "../../shared/api";
import { groupedKey } from "../../shared/support-key";
import { button, el } from "../lib/dom";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";
import { InviteSenders } from "./invite-senders";

const COPIED_SHOWN_MS = 2500;

export class InviteCard {
	readonly root: HTMLDetailsElement;
	private readonly expiry = el("p", { class: "key-expiry" });
	private readonly ticker: ReturnType<typeof setInterval>;
	private folded = false;
	/** The link as it is now: a reissue replaces it. */
	private inviteUrl: string;

	constructor(
		private readonly started: StartedSession,
		contact: CustomerContact | null,
		private readonly lang: ConsoleLanguage,
	) {
		const c = lang.t.console;
		this.inviteUrl = started.inviteUrl;
		const link = el("input", { class: "invite-link", readonly: true, value: started.inviteUrl, "aria-label": c.inviteLink, spellcheck: "false" });
		const reissued = el("span", { class: "send-result", role: "status" });
		const reissue: HTMLButtonElement = button(c.newLink, () => void this.reissue(link, reissue, reissued), { class: "btn btn-small" });

		const copied = el("span", { class: "copy-feedback", role: "status" });
		const copy: HTMLButtonElement = button(lang.t.copyLink, () => void this.copy(link, copy, copied), { class: "btn btn-primary" });
		const digits = started.supportKey.split("").join(" ");
		const senders = new InviteSenders(
			lang,
			started.sessionId,
			{ label: { sms: c.mobileLabel, email: c.emailLabel }, empty: { sms: c.enterMobile, email: c.enterEmail } },
			{ sms: contact?.phone, email: contact?.email },
			() => undefined,
		);

		this.root = el(
			"details",
			{ class: "invite", open: true },
			el("summary", {}, c.inviteCustomer),
			el(
				"div",
				{ class: "invite-body" },
				el(
					"div",
					{ class: "key-block" },
					el("p", { class: "key-label" }, c.supportKey),
					// Read out digit by digit, as the agent would read it to the customer.
					el("p", { class: "support-key" }, el("span", { "aria-hidden": "true" }, groupedKey(started.supportKey)), el("span", { class: "visually-hidden" }, digits)),
					this.expiry,
				),
				el(
					"div",
					{ class: "invite-ways" },
					el("div", { class: "invite-way" }, el("div", { class: "invite-link-row" }, link, copy, reissue), copied, reissued),
					...senders.forms,
				),
			),
		);
		this.tick();
		this.ticker = setInterval(() => this.tick(), 1000);
	}

	/** Folds the card away once the customer is in; the agent can still open it, and it then stays open. */
	collapse(): void {
		if (this.folded) return;
		this.folded = true;
		this.root.open = false;
	}

	destroy(): void {
		clearInterval(this.ticker);
	}

	private tick(): void {
		const left = this.started.expiresAt - Date.now();
		const c = this.lang.t.console;
		this.expiry.textContent = left > 0 ? c.expiresIn(this.lang.format.countdown(left)) : c.keyExpired;
		this.expiry.classList.toggle("expired", left <= 0);
	}

	private async copy(link: HTMLInputElement, copy: HTMLButtonElement, feedback: HTMLElement): Promise<void> {
		try {
			await navigator.clipboard.writeText(this.inviteUrl);
			copy.textContent = this.lang.t.console.copiedTick;
			feedback.textContent = this.lang.t.console.onClipboard;
			setTimeout(() => {
				copy.textContent = this.lang.t.copyLink;
				feedback.textContent = "";
			}, COPIED_SHOWN_MS);
		} catch {
			link.select();
			feedback.textContent = this.lang.t.console.copyRefused;
		}
	}

	/** A new link for a forwarded SMS or email: the old one stops working, and whoever came in by it is disconnected. */
	private async reissue(link: HTMLInputElement, submit: HTMLButtonElement, result: HTMLElement): Promise<void> {
		submit.disabled = true;
		const answer = await call(`/api/sessions/${encodeURIComponent(this.started.sessionId)}/invite-link`, ReissuedLinkSchema, { method: "POST", body: {} });
		submit.disabled = false;
		result.className = "send-result";
		if (!answer.ok) {
			result.textContent = this.lang.t.console.notSent(answer.error);
			result.classList.add("error");
			return;
		}
		this.inviteUrl = answer.data.inviteUrl;
		link.value = answer.data.inviteUrl;
		result.textContent = this.lang.t.console.newLinkDone;
		result.classList.add("ok");
	}
}
