/**
 * Under the chat's case card in the console: *Transfer…*, or while this chat is offered to
 * someone, to whom, the time left for them to accept and (for the agent who offered it) *Cancel
 * offer*. What is pending is read from the chat's own log, so it is right after a reload too.
 */
import * as z from "zod/mini";
import type { SessionEvent } from "../../shared/protocol";
import { button, el, fill } from "../lib/dom";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";

interface Pending {
	to: string;
	expiresAt: number;
	mine: boolean;
}

export class TransferBar {
	readonly root = el("div", { class: "transfer-bar", hidden: true });
	private pending: Pending | null = null;
	private readonly transferButton: HTMLButtonElement;
	private readonly status = el("p", { class: "transfer-pending", role: "status" });
	private readonly cancelButton: HTMLButtonElement;
	private readonly problem = el("p", { class: "transfer-problem", role: "alert" });
	private inChat = false;
	private ticker: ReturnType<typeof setInterval> | null = null;

	constructor(
		private readonly lang: ConsoleLanguage,
		private readonly sessionId: string,
		private readonly me: string,
		openDialog: () => void,
		private readonly failed: (answer: Extract<Answer<unknown>, { ok: false }>) => string | null,
	) {
		const x = lang.t.transfer;
		this.transferButton = button(x.button, openDialog, { class: "btn btn-small", "aria-haspopup": "dialog" });
		this.cancelButton = button(x.cancel, () => void this.cancel(), { class: "btn btn-quiet btn-small" });
		this.render();
	}

	/** Every event of the chat, in order. */
	onEvent(event: SessionEvent): void {
		if (event.type === "transfer_offered") this.pending = { to: event.to.name, expiresAt: event.expiresAt, mine: event.actor?.id === this.me };
		else if (event.type === "transfer_withdrawn" || event.type === "transferred") this.pending = null;
		else return;
		this.problem.textContent = "";
		this.render();
	}

	/** Whether the agent is in the chat and it is live: only then can they hand it over. */
	setInChat(inChat: boolean): void {
		if (inChat === this.inChat) return;
		this.inChat = inChat;
		this.render();
	}

	destroy(): void {
		if (this.ticker) clearInterval(this.ticker);
	}

	private render(): void {
		this.root.hidden = !this.inChat;
		const pending = this.pending;
		// The time left counts down while an offer waits; an offer nobody answered ends on the server, and its event follows.
		if (pending && !this.ticker) this.ticker = setInterval(() => this.pending && (this.status.textContent = this.pendingText(this.pending)), 1000);
		if (!pending && this.ticker) {
			clearInterval(this.ticker);
			this.ticker = null;
		}
		if (!pending) return fill(this.root, this.transferButton, this.problem);
		this.status.textContent = this.pendingText(pending);
		fill(this.root, this.status, pending.mine ? this.cancelButton : null, this.problem);
	}

	private pendingText(pending: Pending): string {
		return this.lang.t.transfer.pending(pending.to, this.lang.format.countdown(Math.max(0, pending.expiresAt - Date.now())));
	}

	private async cancel(): Promise<void> {
		const answer = await call(`/api/sessions/${encodeURIComponent(this.sessionId)}/transfer/cancel`, z.unknown(), { method: "POST" });
		if (answer.ok) return;
		const words = this.failed(answer);
		if (words !== null) this.problem.textContent = words;
	}
}
