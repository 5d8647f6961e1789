/**
 * Cloudflare Turnstile's widget, for when the server asks for a challenge (428): past the
 * deployment's budget of wrong support keys, a join by key needs a solved one. Its script comes
 * from Cloudflare and is loaded only then, never on a normal visit, so the page's first load
 * stays small and asks nothing of another origin. Rendered explicitly, into the page's container.
 */

/** What the page uses of the global the script installs: only rendering, with a callback. */
interface TurnstileWidgets {
	render(container: HTMLElement, options: { sitekey: string; callback: (token: string) => void; "error-callback"?: () => void }): string | null | undefined;
}

const SCRIPT_URL = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";

function installed(): TurnstileWidgets | undefined {
	return (window as Window & { turnstile?: TurnstileWidgets }).turnstile;
}

/** One script for the page's lifetime; a failed load is forgotten, so the next challenge tries again. */
let loading: Promise<TurnstileWidgets> | null = null;

function loadTurnstile(): Promise<TurnstileWidgets> {
	loading ??= new Promise<TurnstileWidgets>((resolve, reject) => {
		const script = document.createElement("script");
		script.src = SCRIPT_URL;
		script.async = true;
		script.addEventListener("load", () => {
			const widgets = installed();
			if (widgets) resolve(widgets);
			else reject(new Error("the Turnstile script installed no turnstile"));
		});
		script.addEventListener("error", () => reject(new Error("the Turnstile script did not load")));
		document.head.append(script);
	}).catch((error: unknown) => {
		loading = null;
		throw error;
	});
	return loading;
}

/** Draws the challenge into `container`; `solved` gets the token once the person has passed it. */
export async function renderChallenge(container: HTMLElement, siteKey: string, solved: (token: string) => void, failed: () => void): Promise<void> {
	const widgets = await loadTurnstile();
	widgets.render(container, { sitekey: siteKey, callback: solved, "error-callback": failed });
}
