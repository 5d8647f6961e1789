/** The console's sign-in: the agent token is sent once and exchanged for a session cookie. */
import { SignedInSchema } from "../../shared/api";
import { el, field, fill } from "../lib/dom";
import { call } from "../lib/http";
import type { ConsoleLanguage } from "../lib/i18n";
import { primeSound } from "./alert-sound";

export function signInView(root: HTMLElement, lang: ConsoleLanguage, onSignedIn: (agent: string) => void, notice: string | null = null): void {
	const c = lang.t.console;
	const token = el("input", { type: "password", name: "token", autocomplete: "current-password", required: true, spellcheck: "false" });
	const problem = el("p", { class: "form-error", role: "alert" }, notice ?? "");
	const submit = el("button", { type: "submit", class: "btn btn-primary btn-wide" }, c.signIn);
	const form = el("form", { class: "sign-in-form", novalidate: true }, field(c.agentToken, token, c.agentTokenHint), problem, submit);
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		primeSound();
		if (!token.value.trim()) {
			problem.textContent = c.enterToken;
			token.focus();
			return;
		}
		submit.disabled = true;
		const answer = await call("/api/auth/login", SignedInSchema, { method: "POST", body: { token: token.value.trim() } });
		submit.disabled = false;
		if (!answer.ok) {
			problem.textContent = answer.status === 401 ? c.tokenWrong : answer.error;
			token.select();
			return;
		}
		onSignedIn(answer.data.agent);
	});
	fill(
		root,
		el(
			"main",
			{ class: "sign-in" },
			el("div", { class: "sign-in-card" }, el("p", { class: "join-brand" }, el("span", { class: "logo", "aria-hidden": "true" }), c.title), el("h1", {}, c.signIn), form),
		),
	);
	token.focus();
}
