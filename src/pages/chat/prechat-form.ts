/**
 * The chat page's forms: before a chat (name, optional email, topic or queue) and, when the team
 * is closed or nobody is there, the message to leave. Where the deployment has Turnstile its
 * widget is drawn in the form, and the form sends its token with the rest.
 */
import type { TeamInfo } from "../../shared/routing";
import { el, field, fill } from "../lib/dom";
import type { ChatStartLanguage } from "../lib/i18n";
import { renderChallenge } from "../join/turnstile";
import { brand } from "../join/screens";

export interface FormFields {
	name: string;
	email?: string;
	queue: string;
	topic?: string;
	text?: string;
	turnstileToken?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `mode`: a live chat, or a message to leave; `problem`: what the last try said. */
export function prechatForm(app: HTMLElement, lang: ChatStartLanguage, team: TeamInfo, mode: "chat" | "message", problem: string | null, submit: (fields: FormFields) => void, preselect: string | null = null, initial: FormFields | null = null): void {
	const { t } = lang;
	const p = t.prechat;
	const name = el("input", { name: "name", autocomplete: "name", required: true, maxlength: 120 });
	const email = el("input", { name: "email", type: "email", autocomplete: "email", maxlength: 254 });
	const queue = el("select", { name: "queue" }, ...team.queues.map((q) => el("option", { value: q.id }, q.name)));
	const topic = el("input", { name: "topic", maxlength: 200 });
	const text = el("textarea", { name: "text", rows: 5, maxlength: 4000 });
	if (preselect && team.queues.some((q) => q.id === preselect)) queue.value = preselect;
	// Drawn again after a refusal (a failed check): what the person typed stays.
	if (initial) {
		name.value = initial.name;
		email.value = initial.email ?? "";
		if (team.queues.some((q) => q.id === initial.queue)) queue.value = initial.queue;
		topic.value = initial.topic ?? "";
		text.value = initial.text ?? "";
	}
	const error = el("p", { class: "form-error", role: "alert" }, problem ?? "");
	const slot = el("div", { class: "challenge-slot" });
	let token: string | undefined;
	if (team.turnstileSiteKey) {
		renderChallenge(slot, team.turnstileSiteKey, (solved) => (token = solved), () => (error.textContent = t.challengeFailed)).catch(() => (error.textContent = t.offlineBody));
	}
	const form = el(
		"form",
		{ class: "prechat-form", novalidate: true },
		field(p.name, name),
		field(p.email, email, p.emailHint),
		team.queues.length > 1 ? field(p.queue, queue) : null,
		team.case ? null : field(p.topic, topic),
		mode === "message" ? field(p.message, text) : null,
		team.turnstileSiteKey ? el("p", { class: "field-hint" }, p.challengeBody) : null,
		// Without Turnstile (development) no room is held for it.
		team.turnstileSiteKey ? slot : null,
		error,
		el("button", { type: "submit", class: "btn btn-primary btn-wide" }, mode === "chat" ? p.start : p.send),
	);
	form.addEventListener("submit", (event) => {
		event.preventDefault();
		const problemOf = (): [string, HTMLElement] | null => {
			if (!name.value.trim()) return [p.nameMissing, name];
			if (email.value.trim() && !EMAIL.test(email.value.trim())) return [p.emailInvalid, email];
			if (mode === "message" && !text.value.trim()) return [p.messageMissing, text];
			if (team.turnstileSiteKey && token === undefined) return [p.solveFirst, slot];
			return null;
		};
		const found = problemOf();
		if (found) {
			error.textContent = found[0];
			found[1].focus();
			return;
		}
		submit({
			name: name.value.trim(),
			queue: queue.value || (team.queues[0]?.id ?? ""),
			...(email.value.trim() ? { email: email.value.trim() } : {}),
			...(topic.value.trim() ? { topic: topic.value.trim() } : {}),
			...(mode === "message" ? { text: text.value.trim() } : {}),
			...(token === undefined ? {} : { turnstileToken: token }),
		});
	});
	const closed = mode === "message" && !team.open;
	const heading = el("h1", { tabindex: -1 }, closed ? p.closedTitle(team.name) : p.title(team.name));
	const opens = closed && team.opensAt !== null ? el("p", { class: "join-body" }, p.opensAt(lang.format.when(team.opensAt))) : null;
	fill(
		app,
		el(
			"main",
			{ class: "join-card prechat" },
			brand(lang),
			heading,
			el("p", { class: "join-body" }, mode === "message" ? p.closedBody : p.intro),
			opens,
			team.case ? el("p", { class: "join-body prechat-case" }, p.about(team.case.caseId, team.case.subject)) : null,
			form,
		),
	);
	heading.focus();
}
