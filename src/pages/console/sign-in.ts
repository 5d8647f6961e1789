/** The console's sign-in: the agent token is sent once and exchanged for a session cookie. */
import { SignedInSchema } from "../../shared/api";
import { el, field, fill } from "../lib/dom";
import { call } from "../lib/http";
import { primeSound } from "./alert-sound";

export function signInView(root: HTMLElement, onSignedIn: (agent: string) => void, notice: string | null = null): void {
	const token = el("input", { type: "password", name: "token", autocomplete: "current-password", required: true, spellcheck: "false" });
	const problem = el("p", { class: "form-error", role: "alert" }, notice ?? "");
	const submit = el("button", { type: "submit", class: "btn btn-primary btn-wide" }, "Sign in");
	const form = el("form", { class: "sign-in-form", novalidate: true }, field("Agent token", token, "Your personal agent token. It is exchanged for a session and not stored in this browser."), problem, submit);
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		primeSound();
		if (!token.value.trim()) {
			problem.textContent = "Enter your agent token.";
			token.focus();
			return;
		}
		submit.disabled = true;
		const answer = await call("/api/auth/login", SignedInSchema, { method: "POST", body: { token: token.value.trim() } });
		submit.disabled = false;
		if (!answer.ok) {
			problem.textContent = answer.status === 401 ? "That agent token is not valid." : answer.error;
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
			el("div", { class: "sign-in-card" }, el("p", { class: "join-brand" }, el("span", { class: "logo", "aria-hidden": "true" }), "Support console"), el("h1", {}, "Sign in"), form),
		),
	);
	token.focus();
}
