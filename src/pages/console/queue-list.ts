/** The chats waiting for an agent, longest wait first, each with how long it has waited. */
import type { QueueEntry } from "../../shared/queue";
import { button, el } from "../lib/dom";
import type { ConsoleLanguage } from "../lib/i18n";

export function queueItem(entry: QueueEntry, lang: ConsoleLanguage, onJoin: (sessionId: string) => void, fresh: boolean): HTMLLIElement {
	const waited = el("span", { class: "waited", "data-since": entry.waitingSince }, waitedText(lang, entry.waitingSince));
	return el(
		"li",
		{ class: fresh ? "queue-item fresh" : "queue-item", "data-session": entry.sessionId, "data-severity": entry.severity },
		el(
			"div",
			{ class: "queue-item-main" },
			el("p", { class: "queue-item-subject", dir: "auto" }, entry.subject),
			el(
				"p",
				{ class: "queue-item-meta" },
				el("span", { class: "case-id" }, entry.caseId),
				el("span", { class: `badge sev-${entry.severity}` }, lang.t.severity[entry.severity]),
				waited,
			),
			entry.previousAgent ? el("p", { class: "queue-item-note" }, lang.t.console.wasWith(entry.previousAgent)) : null,
		),
		button(lang.t.console.join, () => onJoin(entry.sessionId), { class: "btn btn-primary", "aria-label": lang.t.console.joinLabel(entry.subject) }),
	);
}

export function waitedText(lang: ConsoleLanguage, since: number): string {
	return lang.t.console.waited(lang.format.countdown(Date.now() - since));
}
