/** A page's start: its language and title on the document, and the `#app` element it draws in. */
import type { Language } from "./i18n";

export function pageRoot(lang: Language, title: string): HTMLElement {
	document.documentElement.lang = lang.tag;
	document.title = title;
	const app = document.getElementById("app");
	if (!app) throw new Error("the page has no #app element");
	return app;
}
