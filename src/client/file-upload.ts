/**
 * Sends one file into a chat, for the pages and for Node 22: start, the parts in order, complete.
 * A part that fails for want of an answer (a dropped connection, a server error) is not the end:
 * the upload starts again with the same client id, learns which parts are stored, and goes on
 * from there. The session never stores a part or posts a file twice, so retrying is always safe.
 * A refusal (too large, wrong type, left the chat) is final and says why.
 */
import type { StartUpload, Upload } from "../shared/files";
import { UploadSchema } from "../shared/files";
import { ErrorSchema } from "../shared/api";

/** Sends the bytes of one part and reports how many have gone; browsers pass an XMLHttpRequest one for finer progress. */
export type PartSender = (part: { url: string; token: string; body: Blob; signal: AbortSignal; onProgress: (sentBytes: number) => void }) => Promise<{ status: number; text: string }>;

export interface FileUploadOptions {
	baseUrl: string;
	sessionId: string;
	/** The participant token from the join. */
	token: string;
	file: Blob;
	name: string;
	/** The sender's own id for this file, kept across retries (and reloads, if the page keeps it). */
	clientId: string;
	signal?: AbortSignal;
	/** From 0 to 1, as the bytes go. */
	onProgress?: (fraction: number) => void;
	sendPart?: PartSender;
	/** Tries in a row without an answer before giving up. */
	maxAttempts?: number;
	retryMs?: number;
}

/** Status 0: no answer at all. */
export class UploadRefused extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

const fetchPart: PartSender = async ({ url, token, body, signal, onProgress }) => {
	const response = await fetch(url, { method: "PUT", body, signal, headers: { Authorization: `Bearer ${token}` } });
	onProgress(body.size);
	return { status: response.status, text: await response.text() };
};

export async function uploadFile(options: FileUploadOptions): Promise<Upload> {
	const signal = options.signal ?? new AbortController().signal;
	const base = `${options.baseUrl}/api/sessions/${options.sessionId}/files`;
	const maxAttempts = options.maxAttempts ?? 6;
	const start: StartUpload = { clientId: options.clientId, name: options.name, size: options.file.size, type: options.file.type };
	let fileId: string | null = null;
	try {
		for (let attempt = 1; ; attempt++) {
			try {
				const upload = await json(await request(`${base}`, options.token, signal, "POST", start));
				fileId = upload.fileId;
				if (upload.seq !== null) return upload;
				await sendParts(options, base, upload, signal);
				return await json(await request(`${base}/${upload.fileId}/complete`, options.token, signal, "POST"));
			} catch (error) {
				if (error instanceof UploadRefused && error.status !== 0 && error.status < 500) throw error;
				if (signal.aborted || attempt >= maxAttempts) throw error;
				await wait((options.retryMs ?? 1000) * 2 ** (attempt - 1), signal);
			}
		}
	} catch (error) {
		// A cancel, or a refusal of the content: nothing of the file is to stay behind.
		if (fileId !== null && (signal.aborted || error instanceof UploadRefused)) {
			await fetch(`${base}/${fileId}`, { method: "DELETE", headers: { Authorization: `Bearer ${options.token}` } }).catch(() => undefined);
		}
		throw error;
	}
}

async function sendParts(options: FileUploadOptions, base: string, upload: Upload, signal: AbortSignal): Promise<void> {
	const send = options.sendPart ?? fetchPart;
	const lengthOf = (n: number) => Math.min(upload.partBytes, upload.size - (n - 1) * upload.partBytes);
	let done = upload.partsDone.reduce((sum, n) => sum + lengthOf(n), 0);
	options.onProgress?.(done / upload.size);
	for (let n = 1; n <= upload.parts; n++) {
		if (upload.partsDone.includes(n)) continue;
		const body = options.file.slice((n - 1) * upload.partBytes, (n - 1) * upload.partBytes + lengthOf(n));
		const answer = await send({ url: `${base}/${upload.fileId}/parts/${n}`, token: options.token, body, signal, onProgress: (sent) => options.onProgress?.((done + sent) / upload.size) }).catch(() => {
			throw new UploadRefused(0, "no answer from the server");
		});
		if (answer.status !== 200) throw refusal(answer.status, answer.text);
		done += body.size;
	}
}

async function request(url: string, token: string, signal: AbortSignal, method: "POST", body?: unknown): Promise<{ status: number; text: string }> {
	try {
		const response = await fetch(url, { method, signal, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
		return { status: response.status, text: await response.text() };
	} catch (error) {
		if (signal.aborted) throw error;
		throw new UploadRefused(0, "no answer from the server");
	}
}

function json(answer: { status: number; text: string }): Upload {
	if (answer.status !== 200 && answer.status !== 201) throw refusal(answer.status, answer.text);
	const parsed = UploadSchema.safeParse(parseJson(answer.text));
	if (!parsed.success) throw new UploadRefused(answer.status, "the server's answer was not understood");
	return parsed.data;
}

function refusal(status: number, text: string): UploadRefused {
	const body = ErrorSchema.safeParse(parseJson(text));
	return new UploadRefused(status, body.success ? body.data.error : `the server answered ${status}`);
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(resolve, ms);
		signal.addEventListener("abort", () => {
			clearTimeout(timer);
			reject(signal.reason);
		}, { once: true });
	});
}
