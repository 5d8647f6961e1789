/**
 * The earlier chats of the case, under the chat in the console, so that the agent sees the whole
 * correspondence: one collapsed line each (when, who, how many messages, how it ended), opened to
 * read it, from its transcript, or from its log while the transcript is not written (a chat of the
 * case still live, or one that has just ended).
 */
import type { CaseSession } from "../../shared/transfer";
import { CaseHistorySchema } from "../../shared/transfer";
import { TranscriptSchema } from "../../shared/transcript";
import { el, fill } from "../lib/dom";
import { eventView } from "../lib/event-view";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";

export class CaseHistoryView {
	readonly root = el("section", { class: "case-history", hidden: true });
	private loadedFor: string | null = null;

	constructor(
		private readonly lang: ConsoleLanguage,
		/** The chat on screen: it is not an earlier one. */
		private readonly sessionId: string,
		/** The agent's participant id, the same in every chat: what they did reads "You". */
		private readonly me: string,
	) {}

	/** Lists the case's other chats, once per case. */
	async load(caseId: string): Promise<void> {
		if (!caseId || this.loadedFor === caseId) return;
		this.loadedFor = caseId;
		const answer = await call(`/api/cases/${encodeURIComponent(caseId)}/history`, CaseHistorySchema);
		if (!answer.ok) return;
		const earlier = answer.data.sessions.filter((session) => session.sessionId !== this.sessionId && session.startedAt !== null);
		this.root.hidden = earlier.length === 0;
		const x = this.lang.t.transfer;
		fill(this.root, el("h3", { class: "case-history-title" }, x.earlier(earlier.length)), ...earlier.map((session) => this.item(session)));
	}

	private item(session: CaseSession): HTMLDetailsElement {
		const { t, format } = this.lang;
		const x = t.transfer;
		const body = el("div", { class: "case-history-body" });
		const when = format.when(session.startedAt ?? session.createdAt);
		const details = el(
			"details",
			{ class: "case-history-item", "data-session": session.sessionId },
			el(
				"summary",
				{},
				el("span", {}, x.earlierItem(when, session.agents.join(", ") || x.noAgent, session.messages)),
				" ",
				el("span", { class: `pill st-${session.status}` }, t.status[session.status]),
			),
			body,
		);
		details.addEventListener("toggle", () => {
			if (details.open && !body.firstChild) void this.read(session, body);
		});
		return details;
	}

	private async read(session: CaseSession, body: HTMLElement): Promise<void> {
		const x = this.lang.t.transfer;
		fill(body, el("p", { class: "field-hint" }, x.loading));
		const id = encodeURIComponent(session.sessionId);
		const answer = await call(session.transcript ? `/api/sessions/${id}/transcript` : `/api/sessions/${id}/log`, TranscriptSchema);
		if (!answer.ok) return fill(body, el("p", { class: "field-hint", role: "alert" }, x.cannotLoad));
		const transcript = answer.data;
		// Agents open an earlier chat's files with their session cookie, as in its transcript.
		const files = async (fileId: string, inline: boolean) => `/api/sessions/${id}/files/${encodeURIComponent(fileId)}${inline ? "?inline=1" : ""}`;
		fill(body, el("ol", { class: "log-list" }, ...transcript.events.map((event) => eventView(this.lang, event, this.me, files))));
	}
}
