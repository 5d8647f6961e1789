/**
 * A file in the chat: who sent it and when, its name, size and type, a Download button, and for
 * an image whose bytes were verified a thumbnail (the original on click). While a scanner checks
 * it the file shows "Checking…" and cannot be opened; blocked, it says so and can never be.
 */
import type { SessionEvent } from "../../shared/protocol";
import { button, el, fill } from "./dom";
import type { Language } from "./i18n";

export type FileEvent = Extract<SessionEvent, { type: "file" }>;
/** A URL that opens the file now (a download ticket, or the agent's cookie); null if it cannot be had. */
export type FileOpener = (fileId: string, inline: boolean) => Promise<string | null>;

export interface FileView {
	item: HTMLLIElement;
	settle(released: boolean): void;
}

export function fileView(lang: Language, event: FileEvent, author: string, mine: boolean, open: FileOpener): FileView {
	const s = lang.t.files;
	const body = el("div", { class: "msg-file" });
	const item = el(
		"li",
		{ class: mine ? "msg mine" : "msg theirs", "data-file": event.fileId },
		el("div", { class: "msg-meta" }, el("span", { class: "msg-author" }, author), el("time", { datetime: new Date(event.at).toISOString() }, lang.format.when(event.at))),
		body,
	);
	const download = async () => {
		const url = await open(event.fileId, false);
		if (!url) return;
		const link = el("a", { href: url, download: event.name, hidden: true });
		document.body.append(link);
		link.click();
		link.remove();
	};
	const facts = el("p", { class: "file-facts" }, el("span", { class: "file-name", dir: "auto" }, event.name), ` · ${sizeText(lang.tag, event.size)}`);
	const draw = (state: "checking" | "ready" | "blocked") => {
		const preview = state === "ready" && event.preview ? el("img", { class: "file-preview", alt: event.name }) : null;
		if (preview) {
			preview.addEventListener("click", () => void download());
			void open(event.fileId, true).then((url) => url && preview.setAttribute("src", url));
		}
		fill(
			body,
			preview,
			facts,
			state === "ready" ? button(s.download, () => void download(), { class: "btn btn-quiet file-download", "aria-label": `${s.download} ${event.name}` }) : el("p", { class: "file-state" }, state === "checking" ? s.checking : s.blocked),
		);
	};
	draw(event.checking ? "checking" : "ready");
	return { item, settle: (released) => draw(released ? "ready" : "blocked") };
}

function sizeText(tag: string, bytes: number): string {
	const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "kilobyte"] : [bytes / (1024 * 1024), "megabyte"];
	return new Intl.NumberFormat(tag, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
}
