/**
 * What a waiting customer sees above the chat: their place in the queue and the estimated wait,
 * asked of the server every few seconds while the chat is waiting, and, once the team is closed
 * or nobody has been available for the team's time, that plainly, with "leave a message".
 */
import type { SessionClient } from "../../client/session-client";
import type { Joined } from "../../shared/api";
import { PlaceSchema } from "../../shared/routing";
import { button, el } from "../lib/dom";
import { call } from "../lib/http";
import type { ChatStartLanguage } from "../lib/i18n";

const ASK_EVERY_MS = 5000;

export class WaitingBanner {
	readonly root: HTMLElement;
	private readonly place = el("p", { class: "waiting-place" });
	private readonly wait = el("p", { class: "waiting-estimate" });
	private readonly nobody: HTMLElement;
	private readonly timer: ReturnType<typeof setInterval>;
	private readonly stopListening: () => void;

	constructor(
		private readonly lang: ChatStartLanguage,
		private readonly client: SessionClient,
		private readonly joined: Joined,
		leaveMessage: () => void,
	) {
		const p = lang.t.prechat;
		this.nobody = el("p", { class: "waiting-nobody", hidden: true }, p.nobody);
		this.root = el("div", { class: "waiting-banner", role: "status", hidden: true }, this.place, this.wait, this.nobody, button(p.leaveInstead, leaveMessage, { class: "btn btn-small" }));
		this.timer = setInterval(() => void this.refresh(), ASK_EVERY_MS);
		// An agent coming in (or leaving) changes the status: the banner follows at once, not at the next ask.
		this.stopListening = client.subscribe((update) => {
			if (update.type === "state" || update.type === "presence") void this.refresh();
		});
		void this.refresh();
	}

	destroy(): void {
		clearInterval(this.timer);
		this.stopListening();
	}

	private async refresh(): Promise<void> {
		// Asked only while the chat waits: once an agent is in, there is no queue to stand in.
		const status = this.client.state?.status;
		if (status !== undefined && status !== "waiting") {
			this.root.hidden = true;
			return;
		}
		const answer = await call(`/api/chats/${this.joined.sessionId}/place`, PlaceSchema, { token: this.joined.token });
		if (!answer.ok) return;
		const { position, estimatedWaitMs, nobodyThere } = answer.data;
		const p = this.lang.t.prechat;
		this.root.hidden = position === null;
		this.place.textContent = position === null ? "" : p.place(position);
		this.wait.textContent = estimatedWaitMs === null ? "" : p.wait(this.lang.format.minutes(Math.max(1, Math.round(estimatedWaitMs / 60_000))));
		this.nobody.hidden = !nobodyThere;
	}
}
