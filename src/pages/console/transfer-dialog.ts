/**
 * "Hand this chat over": the other agents, each offered the chat with one click if they have a
 * console open (they are asked there, and the chat stays with this agent until they accept), and
 * "Back to the queue", which takes this agent out at once. What the server refuses is said here.
 */
import * as z from "zod/mini";
import type { TransferRequest } from "../../shared/transfer";
import { AgentListSchema } from "../../shared/transfer";
import { button, el, fill } from "../lib/dom";
import type { Answer } from "../lib/http";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";

export class TransferDialog {
	readonly root: HTMLDialogElement;
	private readonly agents = el("ul", { class: "transfer-agents" });
	private readonly problem = el("p", { class: "transfer-problem", role: "alert" });
	private sessionId = "";

	constructor(
		private readonly lang: ConsoleLanguage,
		/** A refused call: the words to show, or null once dealt with (signed out). */
		private readonly failed: (answer: Extract<Answer<unknown>, { ok: false }>) => string | null,
	) {
		const x = lang.t.transfer;
		this.root = el(
			"dialog",
			{ class: "dialog transfer-dialog", "aria-labelledby": "transfer-title" },
			el("h2", { id: "transfer-title", class: "dialog-text" }, x.dialogTitle),
			el("p", { class: "field-hint" }, x.dialogIntro),
			this.agents,
			el("div", { class: "transfer-queue" }, button(x.toQueue, () => void this.send({ to: "queue" }), { class: "btn" }), el("p", { class: "field-hint" }, x.toQueueHint)),
			this.problem,
			el("div", { class: "dialog-actions" }, button(lang.t.cancel, () => this.root.close(), { class: "btn btn-quiet" })),
		);
	}

	async open(sessionId: string): Promise<void> {
		this.sessionId = sessionId;
		this.problem.textContent = "";
		fill(this.agents, el("li", { class: "field-hint" }, this.lang.t.transfer.loading));
		this.root.showModal();
		const answer = await call("/api/agents", AgentListSchema);
		if (!answer.ok) return this.refused(answer);
		const x = this.lang.t.transfer;
		const online = answer.data.agents.filter((agent) => agent.online);
		fill(
			this.agents,
			...answer.data.agents.map((agent) =>
				el(
					"li",
					{ class: "transfer-agent" },
					button(x.offerTo(agent.name), () => void this.send({ to: "agent", agent: agent.name }), { class: "btn btn-primary", disabled: !agent.online }),
					agent.online ? null : el("span", { class: "field-hint" }, x.offline),
				),
			),
			online.length === 0 ? el("li", { class: "field-hint" }, x.nobodyOnline) : null,
		);
	}

	private async send(request: TransferRequest): Promise<void> {
		const answer = await call(`/api/sessions/${encodeURIComponent(this.sessionId)}/transfer`, z.unknown(), { method: "POST", body: request });
		if (!answer.ok) return this.refused(answer);
		// The chat's own log says what happened next (the offer, or the chat back in the queue).
		this.root.close();
	}

	private refused(answer: Extract<Answer<unknown>, { ok: false }>): void {
		const words = this.failed(answer);
		if (words === null) return this.root.close();
		this.problem.textContent = `${this.lang.t.transfer.failed}: ${words}`;
	}
}
