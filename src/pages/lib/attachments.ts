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
	/** The sending itself, loaded once a chat is open rather than with the page (the JavaScript budget). */
	private readonly sender = import("./file-sender");

	constructor(private readonly options: AttachmentsOptions) {
		const s = options.lang.t.files;
		const id = uniqueId("attach");
		this.input = el("input", { id, type: "file", multiple: true, class: "visually-hidden" });
		void this.sender.then((sender) => (this.input.accept = sender.ACCEPT));
		this.input.addEventListener("change", () => {
			this.add([...(this.input.files ?? [])]);
			this.input.value = "";
		});
		this.button = el("span", { class: "attach" }, this.input, el("label", { for: id, class: "btn btn-quiet attach-button", title: s.attach }, el("span", { "aria-hidden": "true" }, "📎"), el("span", { class: "visually-hidden" }, s.attach)));
	}

	set disabled(value: boolean) {
		this.input.disabled = value;
	}

	/** Files dropped onto `zone` or pasted into `pasteTarget` are sent like picked ones. */
	acceptDrops(zone: HTMLElement, pasteTarget: HTMLElement): void {
		zone.addEventListener("dragover", (event) => {
			if (!this.input.disabled && event.dataTransfer?.types.includes("Files")) event.preventDefault();
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
		return (await this.sender).ticketUrl(sessionId, fileId, this.options.client.token, inline);
	};

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
			const { sendFile } = await this.sender;
			await sendFile({ file, sessionId, token: this.options.client.token, lang: this.options.lang.tag, progress: this.progress, notice: this.options.notice });
		} finally {
			this.busy = false;
			void this.sendNext();
		}
	}
}
