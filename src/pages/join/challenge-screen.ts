/**
 * The join page's screen for a challenge (428): why the page must check that the visitor is a
 * person, and Turnstile's widget below. Solving it hands the token on; the page then sends the
 * same join again with it.
 */
import { button, el, fill } from "../lib/dom";
import type { Language } from "../lib/i18n";
import { brand } from "./screens";
import { renderChallenge } from "./turnstile";

/** `problem`: why the last try did not get the person in, shown above the widget. */
export function challengeScreen(app: HTMLElement, lang: Language, siteKey: string, problem: string | null, solved: (token: string) => void): void {
	const { t } = lang;
	const heading = el("h1", { tabindex: -1 }, t.challengeTitle);
	const error = el("p", { class: "form-error", role: "alert" }, problem ?? "");
	const slot = el("div", { class: "challenge-slot" });
	const retry = el("div", { class: "challenge-retry" });
	const draw = (): void => {
		error.textContent = problem ?? "";
		retry.replaceChildren();
		renderChallenge(slot, siteKey, solved, () => {
			error.textContent = t.challengeFailed;
		}).catch(() => {
			// Cloudflare's script did not arrive (offline, blocked): the person can ask for it again.
			error.textContent = t.offlineBody;
			retry.replaceChildren(button(t.tryAgain, draw, { class: "btn btn-primary" }));
		});
	};
	fill(app, el("main", { class: "join-card join-challenge" }, brand(lang), heading, el("p", { class: "join-body" }, t.challengeBody), error, slot, retry));
	heading.focus();
	draw();
}
