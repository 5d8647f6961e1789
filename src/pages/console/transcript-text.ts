/**
 * An ended chat's transcript as plain text for a person to read or paste into a ticket: the case,
 * who took part, then every event on its own line with its date and time in the agent's own time
 * zone (named, so the file still says when once it is sent elsewhere).
 */
import type { Transcript } from "../../shared/transcript";
import { systemText } from "../lib/event-view";
import type { ConsoleLanguage } from "../lib/i18n";

export function transcriptText(transcript: Transcript, lang: ConsoleLanguage): string {
	const { t } = lang;
	const c = t.console;
	const stamp = new Intl.DateTimeFormat(lang.tag, { dateStyle: "medium", timeStyle: "short" });
	const zone = new Intl.DateTimeFormat(lang.tag, { timeZoneName: "long" }).formatToParts(transcript.endedAt ?? transcript.createdAt).find((part) => part.type === "timeZoneName")?.value ?? "";
	const roleOf = new Map(transcript.participants.map((p) => [p.id, t.roles[p.role].toLowerCase()]));
	const lines = [
		`${transcript.case.caseId} · ${transcript.case.subject}`,
		`${c.severityLabel}: ${t.severity[transcript.case.severity]} · ${t.status[transcript.status]}${transcript.endReason ? ` · ${t.eventEnded[transcript.endReason]}` : ""}`,
		c.inTheChat(transcript.participants.map((p) => `${p.name} (${t.roles[p.role].toLowerCase()})`).join(", ")),
		transcript.startedAt !== null ? c.startedAt(stamp.format(transcript.startedAt)) : null,
		transcript.endedAt !== null ? c.endedAt(stamp.format(transcript.endedAt)) : null,
		c.timesIn(zone),
		"",
		...transcript.events.map((event) => {
			const when = `[${stamp.format(event.at)}]`;
			if (event.type !== "message") return `${when} — ${systemText(lang, event, null)}`;
			const who = event.actor ? `${event.actor.name} (${roleOf.get(event.actor.id) ?? t.roles[event.actor.role].toLowerCase()})` : t.someone;
			// A message of several lines stays one entry: its later lines are indented under it.
			return `${when} ${who}: ${event.text.replace(/\n/g, "\n    ")}`;
		}),
	];
	return `${lines.filter((line) => line !== null).join("\n")}\n`;
}
