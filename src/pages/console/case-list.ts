/** The console's case list and the form that opens a case. */
import * as z from "zod/mini";
import type { CaseRecord, CreateCase } from "../../shared/api";
import { CaseSchema } from "../../shared/api";
import type { Severity } from "../../shared/protocol";
import { SEVERITIES, isFinished } from "../../shared/protocol";
import { button, el, field } from "../lib/dom";
import { unreadLabel } from "./my-chats";
import { call } from "../lib/http";
import type { Language } from "../lib/i18n";

export const CaseListSchema = z.object({ cases: z.array(CaseSchema) });

export interface CaseActions {
	start(record: CaseRecord): void;
	open(sessionId: string): void;
	transcript(sessionId: string): void;
	resolve(record: CaseRecord): void;
}

export function caseItem(record: CaseRecord, lang: Language, actions: CaseActions, current: string | null, unread: number): HTMLLIElement {
	const { t, format } = lang;
	const session = record.session;
	const live = session !== null && !isFinished(session.status);
	const contact = [record.customer.name, record.customer.email, record.customer.phone].filter(Boolean).join(" · ");
	const buttons: HTMLElement[] = [];
	if (live) buttons.push(button("Open chat", () => actions.open(session.sessionId), { class: "btn btn-primary btn-small" }));
	else if (record.status === "open") buttons.push(button("Start chat", () => actions.start(record), { class: "btn btn-primary btn-small" }));
	if (session && !live) buttons.push(button("Transcript", () => actions.transcript(session.sessionId), { class: "btn btn-small" }));
	// Ending a chat leaves the case open; it is resolved here once nobody is chatting.
	if (!live && record.status === "open") buttons.push(button("Resolve case", () => actions.resolve(record), { class: "btn btn-small" }));
	return el(
		"li",
		{ class: session?.sessionId === current ? "case-item current" : "case-item", "data-case": record.caseId },
		el("p", { class: "case-item-subject", dir: "auto" }, record.subject, unread > 0 ? el("span", { class: "unread", "aria-label": unreadLabel(unread) }, String(unread)) : null),
		el(
			"p",
			{ class: "case-item-meta" },
			el("span", { class: "case-id" }, record.caseId),
			el("span", { class: `badge sev-${record.severity}` }, t.severity[record.severity]),
			el("span", { class: `pill case-${record.status}` }, record.status === "resolved" ? "Resolved" : "Open"),
			session ? el("span", { class: `pill st-${session.status}` }, `Chat: ${t.status[session.status].toLowerCase()}`) : null,
		),
		contact ? el("p", { class: "case-item-contact", dir: "auto" }, contact) : null,
		el("p", { class: "case-item-time" }, "Updated ", el("time", { datetime: new Date(record.lastActivityAt).toISOString(), "data-ago": record.lastActivityAt }, format.ago(record.lastActivityAt))),
		buttons.length ? el("div", { class: "case-item-actions" }, ...buttons) : null,
	);
}

/** The "New case" form; resolves the created case to `onCreated`. */
export function newCaseForm(lang: Language, onCreated: (record: CaseRecord) => void, onCancel: () => void): HTMLFormElement {
	const subject = el("input", { name: "subject", required: true, maxlength: 200, autocomplete: "off" });
	const severity = el("select", { name: "severity" }, ...SEVERITIES.map((s) => el("option", { value: s, selected: s === "normal" }, lang.t.severity[s])));
	const name = el("input", { name: "name", maxlength: 120, autocomplete: "off" });
	const email = el("input", { name: "email", type: "email", autocomplete: "off" });
	const phone = el("input", { name: "phone", type: "tel", autocomplete: "off", placeholder: "+4915112345678" });
	const problem = el("p", { class: "form-error", role: "alert" });
	const submit = el("button", { type: "submit", class: "btn btn-primary" }, "Create case");
	const form = el(
		"form",
		{ class: "new-case", novalidate: true, "aria-label": "New case" },
		field("Subject", subject),
		field("Severity", severity),
		el("fieldset", { class: "contact" }, el("legend", {}, "Customer"), field("Name", name), field("Email", email), field("Mobile number", phone, "International form, like +4915112345678")),
		problem,
		el("div", { class: "form-actions" }, button("Cancel", onCancel, { class: "btn btn-quiet" }), submit),
	);
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		const body: CreateCase = {
			subject: subject.value.trim(),
			severity: SEVERITIES.find((s): s is Severity => s === severity.value) ?? "normal",
			customer: {
				...(name.value.trim() ? { name: name.value.trim() } : {}),
				...(email.value.trim() ? { email: email.value.trim() } : {}),
				...(phone.value.trim() ? { phone: phone.value.replace(/[\s()-]/g, "") } : {}),
			},
		};
		if (!body.subject) {
			problem.textContent = "A case needs a subject.";
			subject.focus();
			return;
		}
		submit.disabled = true;
		const answer = await call("/api/cases", CaseSchema, { method: "POST", body });
		submit.disabled = false;
		if (!answer.ok) {
			problem.textContent = answer.error;
			return;
		}
		form.reset();
		problem.textContent = "";
		onCreated(answer.data);
	});
	return form;
}
