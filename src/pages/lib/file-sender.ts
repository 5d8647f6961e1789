/**
 * Sending one file from the chat panel, with its progress bar and Cancel (attachments.ts loads
 * this once a chat is open, so that the pages' first load stays small).
 */
import type { PartSender } from "../../client/file-upload";
import { UploadRefused, uploadFile } from "../../client/file-upload";
import { FILE_GROUPS, allowedExtensions } from "../../files/file-types";
import { button, el } from "./dom";
import { TicketSchema } from "../../shared/files";

// Image types of any kind, so that phones offer their camera; the server decides what it takes.
export const ACCEPT = ["image/*", ...allowedExtensions(new Set(FILE_GROUPS))].join(",");

/** The texts of sending, per language like strings/: only this part, loaded when a chat opens, needs them. */
interface UploadStrings {
	uploading: (percent: number) => string;
	cancel: string;
	failed: (why: string) => string;
}

const ENGLISH: UploadStrings = {
	uploading: (percent) => `Uploading… ${percent}%`,
	cancel: "Cancel",
	failed: (why) => `The file was not sent: ${why}`,
};

const UPLOAD_STRINGS: Record<string, UploadStrings> = {
	en: ENGLISH,
	de: {
		uploading: (percent) => `Wird hochgeladen… ${percent} %`,
		cancel: "Abbrechen",
		failed: (why) => `Die Datei wurde nicht gesendet: ${why}`,
	},
	es: {
		uploading: (percent) => `Subiendo… ${percent} %`,
		cancel: "Cancelar",
		failed: (why) => `El archivo no se envió: ${why}`,
	},
	fr: {
		uploading: (percent) => `Envoi… ${percent} %`,
		cancel: "Annuler",
		failed: (why) => `Le fichier n'a pas été envoyé : ${why}`,
	},
	ja: {
		uploading: (percent) => `アップロード中… ${percent}%`,
		cancel: "キャンセル",
		failed: (why) => `ファイルは送信されませんでした: ${why}`,
	},
};

function uploadStrings(tag: string): UploadStrings {
	return UPLOAD_STRINGS[tag.toLowerCase().split("-")[0] ?? ""] ?? ENGLISH;
}

export interface SendFile {
	file: File;
	sessionId: string;
	token: string;
	/** The page's language tag. */
	lang: string;
	/** Where the progress bar, the percentage and Cancel are shown while the file goes up. */
	progress: HTMLElement;
	notice: (text: string) => void;
}

/** Sends the file; a refusal or a lost connection is told through `notice`, a cancel is not. */
export async function sendFile({ file, sessionId, token, lang, progress, notice }: SendFile): Promise<void> {
	const s = uploadStrings(lang);
	const controller = new AbortController();
	const bar = el("progress", { max: 100, value: 0, "aria-label": file.name });
	const label = el("span", { class: "upload-text" }, s.uploading(0));
	progress.replaceChildren(el("span", { class: "file-name", dir: "auto" }, file.name), bar, label, button(s.cancel, () => controller.abort(), { class: "btn btn-quiet" }));
	progress.hidden = false;
	try {
		await uploadFile({
			baseUrl: "",
			sessionId,
			token,
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
		if (!controller.signal.aborted) notice(s.failed(error instanceof UploadRefused ? error.message : String(error)));
	} finally {
		progress.hidden = true;
		progress.replaceChildren();
	}
}

/** A URL that opens a file for the next minute (a download ticket); null if none can be had. */
export async function ticketUrl(sessionId: string, fileId: string, token: string, inline: boolean): Promise<string | null> {
	const response = await fetch(`/api/sessions/${sessionId}/files/${fileId}/ticket`, { method: "POST", headers: { Authorization: `Bearer ${token}` } }).catch(() => null);
	const ticket = TicketSchema.safeParse(await response?.json().catch(() => null));
	return ticket.success ? `${ticket.data.url}${inline ? "&inline=1" : ""}` : null;
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
