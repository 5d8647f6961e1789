/** The join page's screens other than the chat: the key form, joining, and the friendly refusals. */
import { el, field, fill } from "../lib/dom";
import type { Language } from "../lib/i18n";

export function brand(lang: Language): HTMLElement {
	return el("p", { class: "join-brand" }, el("span", { class: "logo", "aria-hidden": "true" }), lang.t.pageTitle);
}

/** A card with one message; its heading takes the focus so that a screen reader reads it. */
export function messageScreen(app: HTMLElement, lang: Language, tone: "wait" | "problem", title: string, body: string | null, action: HTMLElement | null): void {
	const heading = el("h1", { tabindex: -1 }, title);
	fill(
		app,
		el(
			"main",
			{ class: `join-card join-${tone}` },
			brand(lang),
			el("div", { class: tone === "wait" ? "spinner" : "refusal-mark", "aria-hidden": "true" }),
			heading,
			body ? el("p", { class: "join-body" }, body) : null,
			action,
		),
	);
	heading.focus();
}

/** Nine digits with any spaces or dashes between them, as the API accepts them. */
export function normaliseKey(typed: string): string | null {
	const digits = typed.replace(/[\s-]/g, "");
	return /^\d{9}$/.test(digits) ? digits : null;
}

export function keyForm(app: HTMLElement, lang: Language, onKey: (key: string) => void, problem: string | null = null): void {
	const { t } = lang;
	const input = el("input", { name: "supportKey", inputmode: "numeric", autocomplete: "off", spellcheck: "false", class: "key-input", required: true, maxlength: 15 });
	const error = el("p", { class: "form-error", id: "key-error", role: "alert" }, problem ?? "");
	const form = el("form", { class: "key-form", novalidate: true }, field(t.keyLabel, input, t.keyHint), error, el("button", { type: "submit", class: "btn btn-primary btn-wide" }, t.joinButton));
	form.addEventListener("submit", (event) => {
		event.preventDefault();
		const key = normaliseKey(input.value);
		if (!key) {
			error.textContent = t.keyMalformed;
			input.setAttribute("aria-invalid", "true");
			input.focus();
			return;
		}
		onKey(key);
	});
	if (problem) input.setAttribute("aria-invalid", "true");
	input.setAttribute("aria-errormessage", error.id);
	fill(app, el("main", { class: "join-card" }, brand(lang), el("h1", {}, t.joinTitle), el("p", { class: "join-body" }, t.joinIntro), form));
	input.focus();
}
