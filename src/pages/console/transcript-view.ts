/** An ended chat's transcript in the console, drawn like the chat itself, with downloads as text and as JSON. */
import type { Transcript } from "../../shared/transcript";
import { button, el } from "../lib/dom";
import { eventView } from "../lib/event-view";
import type { ConsoleLanguage } from "../lib/i18n";
import { transcriptText } from "./transcript-text";

export function transcriptView(transcript: Transcript, lang: ConsoleLanguage, agentName: string): HTMLElement {
	const { t, format } = lang;
	const c = t.console;
	const me = transcript.participants.find((p) => p.role === "agent" && p.name === agentName)?.id ?? null;
	const sessionId = encodeURIComponent(transcript.sessionId);
	// Agents open files with their session cookie, also once the chat is over.
	const agentFileUrl = async (fileId: string, inline: boolean) => `/api/sessions/${sessionId}/files/${encodeURIComponent(fileId)}${inline ? "?inline=1" : ""}`;
	return el(
		"section",
		{ class: "transcript", "aria-label": c.transcript },
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
				c.transcriptOf(transcript.participants.map((p) => `${p.name} (${t.roles[p.role].toLowerCase()})`).join(", ")),
				transcript.startedAt !== null ? ` · ${c.startedAt(format.when(transcript.startedAt))}` : "",
				transcript.endedAt !== null ? ` · ${c.endedAt(format.when(transcript.endedAt))}` : "",
				transcript.endReason ? ` · ${t.eventEnded[transcript.endReason]}` : "",
			),
			el(
				"div",
				{ class: "case-actions" },
				button(c.downloadText, () => downloadText(transcript, lang), { class: "btn btn-primary" }),
				el("a", { class: "btn", href: `/api/sessions/${sessionId}/transcript?download=1`, download: "" }, c.downloadJson),
			),
		),
		el("div", { class: "log", role: "log", "aria-label": t.messages, tabindex: 0 }, el("ol", { class: "log-list" }, ...transcript.events.map((event) => eventView(lang, event, me, agentFileUrl)))),
	);
}

/** Saves the text made here in the browser: the times are in the agent's own time zone. */
function downloadText(transcript: Transcript, lang: ConsoleLanguage): void {
	const url = URL.createObjectURL(new Blob([transcriptText(transcript, lang)], { type: "text/plain;charset=utf-8" }));
	const link = el("a", { href: url, download: `${transcript.case.caseId}-${transcript.sessionId}.txt` });
	link.click();
	// Released once the browser has surely taken the file, rather than kept for the page's life.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
