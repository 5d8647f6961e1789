/** The console's case list and the form that opens a case. */
import * as z from "zod/mini";
import type { CaseRecord, CreateCase } from "../../shared/api";
import { CaseSchema } from "../../shared/api";
import type { Severity } from "../../shared/protocol";
import { SEVERITIES, isFinished } from "../../shared/protocol";
import { button, el, field } from "../lib/dom";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";

export const CaseListSchema = z.object({ cases: z.array(CaseSchema) });

export interface CaseActions {
	start(record: CaseRecord): void;
	open(sessionId: string): void;
	transcript(sessionId: string): void;
	resolve(record: CaseRecord): void;
}

export function caseItem(record: CaseRecord, lang: ConsoleLanguage, actions: CaseActions, current: string | null, unread: number): HTMLLIElement {
	const { t, format } = lang;
	const c = t.console;
	const session = record.session;
	const live = session !== null && !isFinished(session.status);
	const contact = [record.customer.name, record.customer.email, record.customer.phone].filter(Boolean).join(" · ");
	const buttons: HTMLElement[] = [];
	if (live) buttons.push(button(c.openChat, () => actions.open(session.sessionId), { class: "btn btn-primary btn-small" }));
	else if (record.status === "open") buttons.push(button(c.startChat, () => actions.start(record), { class: "btn btn-primary btn-small" }));
	if (session && !live) buttons.push(button(c.transcript, () => actions.transcript(session.sessionId), { class: "btn btn-small" }));
	// Ending a chat leaves the case open; it is resolved here once nobody is chatting.
	if (!live && record.status === "open") buttons.push(button(t.resolveCase, () => actions.resolve(record), { class: "btn btn-small" }));
	return el(
		"li",
		{ class: session?.sessionId === current ? "case-item current" : "case-item", "data-case": record.caseId },
		el("p", { class: "case-item-subject", dir: "auto" }, record.subject, unread > 0 ? el("span", { class: "unread", "aria-label": c.unread(unread) }, String(unread)) : null),
		el(
			"p",
			{ class: "case-item-meta" },
			el("span", { class: "case-id" }, record.caseId),
			el("span", { class: `badge sev-${record.severity}` }, t.severity[record.severity]),
			el("span", { class: `pill case-${record.status}` }, c.caseStatus[record.status]),
			session ? el("span", { class: `pill st-${session.status}` }, c.chatStatus(t.status[session.status].toLowerCase())) : null,
		),
		contact ? el("p", { class: "case-item-contact", dir: "auto" }, contact) : null,
		el("p", { class: "case-item-time" }, el("time", { datetime: new Date(record.lastActivityAt).toISOString(), "data-ago": record.lastActivityAt }, c.updated(format.ago(record.lastActivityAt)))),
		buttons.length ? el("div", { class: "case-item-actions" }, ...buttons) : null,
	);
}

/** The "New case" form; resolves the created case to `onCreated`. */
export function newCaseForm(lang: ConsoleLanguage, onCreated: (record: CaseRecord) => void, onCancel: () => void): HTMLFormElement {
	const subject = el("input", { name: "subject", required: true, maxlength: 200, autocomplete: "off" });
	const severity = el("select", { name: "severity" }, ...SEVERITIES.map((s) => el("option", { value: s, selected: s === "normal" }, lang.t.severity[s])));
	const name = el("input", { name: "name", maxlength: 120, autocomplete: "off" });
	const email = el("input", { name: "email", type: "email", autocomplete: "off" });
	const phone = el("input", { name: "phone", type: "tel", autocomplete: "off", placeholder: "+4915112345678" });
	const problem = el("p", { class: "form-error", role: "alert" });
	const c = lang.t.console;
	const submit = el("button", { type: "submit", class: "btn btn-primary" }, c.createCase);
	const form = el(
		"form",
		{ class: "new-case", novalidate: true, "aria-label": c.newCase },
		field(c.subject, subject),
		field(c.severityLabel, severity),
		el("fieldset", { class: "contact" }, el("legend", {}, c.customer), field(c.name, name), field(c.email, email), field(c.mobile, phone, c.mobileHint)),
		problem,
		el("div", { class: "form-actions" }, button(lang.t.cancel, onCancel, { class: "btn btn-quiet" }), submit),
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
			problem.textContent = c.needsSubject;
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
