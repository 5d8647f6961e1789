/**
 * Sending files from the chat panel: the attach button (the phone's file and camera picker),
 * drag-and-drop onto the chat, and pasting a screenshot into the message box. Each file goes up
 * in parts with a progress bar and a Cancel; the file appears in the chat only once it is
 * complete, from the session's own event. Also draws the files the chat carries (file-message.ts).
 */
import type { SessionClient } from "../../client/session-client";
import type { SessionEvent } from "../../shared/protocol";
import { el } from "./dom";
import type { FileOpener, FileView } from "./file-message";
import { fileView } from "./file-message";
import { systemView } from "./event-view";
import type { Language } from "./i18n";
import { uniqueId } from "./dom";

export interface AttachmentsOptions {
	lang: Language;
	client: SessionClient;
	notice: (text: string) => void;
}

export class Attachments {
	readonly button: HTMLElement;
	readonly progress = el("div", { class: "upload", hidden: true });
	private readonly input: HTMLInputElement;
	private readonly views = new Map<string, FileView>();
	private readonly queue: File[] = [];
	private busy = false;
	/** The sending and opening of files, loaded when someone reaches for the attach button or a file is shown, not with the page (the JavaScript budget). */
	private loaded: Promise<typeof import("./file-sender")> | null = null;

	constructor(private readonly options: AttachmentsOptions) {
		const s = options.lang.t.files;
		const id = uniqueId("attach");
		this.input = el("input", { id, type: "file", multiple: true, class: "visually-hidden" });
		this.input.addEventListener("change", () => {
			this.add([...(this.input.files ?? [])]);
			this.input.value = "";
		});
		const label = el("label", { for: id, class: "btn btn-quiet attach-button", title: s.attach }, paperclip(), el("span", { class: "visually-hidden" }, s.attach));
		this.button = el("span", { class: "attach" }, this.input, label);
		// A hand on its way to the button (a pointer, a touch, the keyboard) fetches the sender, so the picker usually opens with its list of types.
		for (const event of ["pointerenter", "pointerdown", "focusin"]) this.button.addEventListener(event, () => void this.sender(), { once: true });
	}

	set disabled(value: boolean) {
		this.input.disabled = value;
	}

	/** Files dropped onto `zone` or pasted into `pasteTarget` are sent like picked ones. */
	acceptDrops(zone: HTMLElement, pasteTarget: HTMLElement): void {
		zone.addEventListener("dragover", (event) => {
			if (this.input.disabled || !event.dataTransfer?.types.includes("Files")) return;
			event.preventDefault();
			void this.sender();
		});
		zone.addEventListener("drop", (event) => {
			if (this.input.disabled || !event.dataTransfer?.files.length) return;
			event.preventDefault();
			this.add([...event.dataTransfer.files]);
		});
		pasteTarget.addEventListener("paste", (event) => {
			const files = [...(event.clipboardData?.files ?? [])];
			if (this.input.disabled || files.length === 0) return;
			event.preventDefault();
			this.add(files);
		});
	}

	/** Draws a file event; undefined for events that are not about files, which the panel draws itself. */
	onEvent(event: SessionEvent, author: string, mine: boolean): HTMLLIElement | null | undefined {
		if (event.type === "file") {
			const view = fileView(this.options.lang, event, author, mine, this.opener);
			this.views.set(event.fileId, view);
			return view.item;
		}
		if (event.type === "file_released" || event.type === "file_blocked") {
			this.views.get(event.fileId)?.settle(event.type === "file_released");
			return event.type === "file_blocked" ? systemView(this.options.lang, event, null) : null;
		}
		return undefined;
	}

	private readonly opener: FileOpener = async (fileId, inline) => {
		const sessionId = this.options.client.state?.sessionId;
		if (!sessionId) return null;
		return (await this.sender()).ticketUrl(sessionId, fileId, this.options.client.token, inline);
	};

	private sender(): Promise<typeof import("./file-sender")> {
		this.loaded ??= import("./file-sender").then(
			(sender) => {
				this.input.accept = sender.ACCEPT;
				return sender;
			},
			(error: unknown) => {
				// Offline for a moment: the next reach for the button tries again.
				this.loaded = null;
				throw error;
			},
		);
		return this.loaded;
	}

	private add(files: File[]): void {
		this.queue.push(...files);
		if (!this.busy) void this.sendNext();
	}

	private async sendNext(): Promise<void> {
		const file = this.queue.shift();
		const sessionId = this.options.client.state?.sessionId;
		if (!file || !sessionId) return;
		this.busy = true;
		try {
			const { sendFile } = await this.sender();
			await sendFile({ file, sessionId, token: this.options.client.token, lang: this.options.lang.tag, progress: this.progress, notice: this.options.notice });
		} finally {
			this.busy = false;
			void this.sendNext();
		}
	}
}

const SVG = "http://www.w3.org/2000/svg";

/** The attach button's paperclip, drawn rather than an emoji: phones and desktops without an emoji font showed a box. */
function paperclip(): SVGSVGElement {
	const icon = document.createElementNS(SVG, "svg");
	for (const [name, value] of Object.entries({ viewBox: "0 0 24 24", width: "18", height: "18", fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false" })) icon.setAttribute(name, value);
	const path = document.createElementNS(SVG, "path");
	path.setAttribute("d", "M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l9.2-9.2a3.7 3.7 0 0 1 5.2 5.2l-9.2 9.2a1.8 1.8 0 0 1-2.6-2.6l8.5-8.5");
	icon.append(path);
	return icon;
}
