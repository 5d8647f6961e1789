/**
 * Sending files from the chat panel: the attach button (the phone's file and camera picker),
 * drag-and-drop onto the chat, and pasting a screenshot into the message box. Each file goes up
 * in parts with a progress bar and a Cancel; the file appears in the chat only once it is
 * complete, from the session's own event. Also draws the files the chat carries (file-message.ts).
 */
import type { SessionClient } from "../../client/session-client";
import type { PartSender } from "../../client/file-upload";
import { UploadRefused, uploadFile } from "../../client/file-upload";
import { FILE_GROUPS, allowedExtensions } from "../../files/file-types";
import type { SessionEvent } from "../../shared/protocol";
import { TicketSchema } from "../../shared/files";
import { button, el } from "./dom";
import type { FileOpener, FileView } from "./file-message";
import { fileView } from "./file-message";
import { fileStrings } from "./file-strings";
import { systemView } from "./event-view";
import type { Language } from "./i18n";
import { uniqueId } from "./dom";

export interface AttachmentsOptions {
	lang: Language;
	client: SessionClient;
	notice: (text: string) => void;
}

// Image types of any kind, so that phones offer their camera; the server decides what it takes.
const ACCEPT = ["image/*", ...allowedExtensions(new Set(FILE_GROUPS))].join(",");

export class Attachments {
	readonly button: HTMLElement;
	readonly progress = el("div", { class: "upload", hidden: true });
	private readonly input: HTMLInputElement;
	private readonly views = new Map<string, FileView>();
	private readonly queue: File[] = [];
	private busy = false;

	constructor(private readonly options: AttachmentsOptions) {
		const s = fileStrings(options.lang.tag);
		const id = uniqueId("attach");
		this.input = el("input", { id, type: "file", accept: ACCEPT, multiple: true, class: "visually-hidden" });
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
		const response = await fetch(`/api/sessions/${sessionId}/files/${fileId}/ticket`, { method: "POST", headers: { Authorization: `Bearer ${this.options.client.token}` } }).catch(() => null);
		const ticket = TicketSchema.safeParse(await response?.json().catch(() => null));
		return ticket.success ? `${ticket.data.url}${inline ? "&inline=1" : ""}` : null;
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
		const s = fileStrings(this.options.lang.tag);
		const controller = new AbortController();
		const bar = el("progress", { max: 100, value: 0, "aria-label": file.name });
		const label = el("span", { class: "upload-text" }, s.uploading(0));
		this.progress.replaceChildren(el("span", { class: "file-name", dir: "auto" }, file.name), bar, label, button(s.cancel, () => controller.abort(), { class: "btn btn-quiet" }));
		this.progress.hidden = false;
		try {
			await uploadFile({
				baseUrl: "",
				sessionId,
				token: this.options.client.token,
				file,
				name: file.name || "pasted.png",
				clientId: crypto.randomUUID(),
				signal: controller.signal,
				sendPart: xhrPart,
				onProgress: (fraction) => {
					const percent = Math.floor(fraction * 100);
					bar.value = percent;
					label.textContent = s.uploading(percent);
				},
			});
		} catch (error) {
			if (!controller.signal.aborted) this.options.notice(s.failed(error instanceof UploadRefused ? error.message : String(error)));
		} finally {
			this.progress.hidden = true;
			this.progress.replaceChildren();
			this.busy = false;
			void this.sendNext();
		}
	}
}

/** Parts through XMLHttpRequest, the one browser API that reports how far an upload has got. */
const xhrPart: PartSender = ({ url, token, body, signal, onProgress }) =>
	new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open("PUT", url);
		xhr.setRequestHeader("Authorization", `Bearer ${token}`);
		xhr.upload.onprogress = (event) => onProgress(event.loaded);
		xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
		xhr.onerror = xhr.onabort = () => reject(new Error("no answer"));
		signal.addEventListener("abort", () => xhr.abort(), { once: true });
		xhr.send(body);
	});
