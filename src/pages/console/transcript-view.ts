/** An ended chat's transcript in the console, drawn like the chat itself, with a download. */
import type { Transcript } from "../../shared/transcript";
import { el } from "../lib/dom";
import { eventView } from "../lib/event-view";
import type { Language } from "../lib/i18n";

export function transcriptView(transcript: Transcript, lang: Language, agentName: string): HTMLElement {
	const { t, format } = lang;
	const me = transcript.participants.find((p) => p.role === "agent" && p.name === agentName)?.id ?? null;
	const sessionId = encodeURIComponent(transcript.sessionId);
	// Agents open files with their session cookie, also once the chat is over.
	const agentFileUrl = async (fileId: string, inline: boolean) => `/api/sessions/${sessionId}/files/${encodeURIComponent(fileId)}${inline ? "?inline=1" : ""}`;
	return el(
		"section",
		{ class: "transcript", "aria-label": "Transcript" },
		el(
			"header",
			{ class: "case-card" },
			el(
				"div",
				{ class: "case-top" },
				el("span", { class: "case-id" }, transcript.case.caseId),
				el("span", { class: `badge sev-${transcript.case.severity}` }, t.severity[transcript.case.severity]),
				el("span", { class: `pill st-${transcript.status}` }, t.status[transcript.status]),
			),
			el("h2", { class: "case-subject", dir: "auto" }, transcript.case.subject),
			el(
				"p",
				{ class: "transcript-facts" },
				`Transcript · ${transcript.participants.map((p) => `${p.name} (${t.roles[p.role].toLowerCase()})`).join(", ")}`,
				transcript.startedAt !== null ? ` · started ${format.when(transcript.startedAt)}` : "",
				transcript.endedAt !== null ? ` · ended ${format.when(transcript.endedAt)}` : "",
				transcript.endReason ? ` · ${t.eventEnded[transcript.endReason]}` : "",
			),
			el("div", { class: "case-actions" }, el("a", { class: "btn btn-primary", href: `/api/sessions/${sessionId}/transcript?download=1`, download: "" }, "Download transcript")),
		),
		el("div", { class: "log", role: "log", "aria-label": "Messages", tabindex: 0 }, el("ol", { class: "log-list" }, ...transcript.events.map((event) => eventView(lang, event, me, agentFileUrl)))),
	);
}
