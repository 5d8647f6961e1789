/**
 * Sends one file into a chat, for the pages and for Node 22: start, the first part, the others two
 * at a time, complete.
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

/**
 * Parts in flight at once after the first. The first goes alone: its head is checked before
 * anything else of the file is stored. Two at once keep the connection busy while the other part's
 * answer is on its way back, and the server stores parts in any order.
 */
const PARTS_AT_ONCE = 2;

async function sendParts(options: FileUploadOptions, base: string, upload: Upload, signal: AbortSignal): Promise<void> {
	const send = options.sendPart ?? fetchPart;
	const lengthOf = (n: number) => Math.min(upload.partBytes, upload.size - (n - 1) * upload.partBytes);
	let done = upload.partsDone.reduce((sum, n) => sum + lengthOf(n), 0);
	/** Bytes sent so far of each part on its way. */
	const sending = new Map<number, number>();
	const report = () => options.onProgress?.((done + [...sending.values()].reduce((a, b) => a + b, 0)) / upload.size);
	report();
	// One part failing stops the others: the upload then starts again from what the server has.
	const stop = new AbortController();
	const abort = () => stop.abort(signal.reason);
	signal.addEventListener("abort", abort, { once: true });
	const sendPart = async (n: number) => {
		const body = options.file.slice((n - 1) * upload.partBytes, (n - 1) * upload.partBytes + lengthOf(n));
		sending.set(n, 0);
		const onProgress = (sent: number) => {
			sending.set(n, sent);
			report();
		};
		const answer = await send({ url: `${base}/${upload.fileId}/parts/${n}`, token: options.token, body, signal: stop.signal, onProgress }).catch(() => {
			throw new UploadRefused(0, "no answer from the server");
		});
		sending.delete(n);
		if (answer.status !== 200) throw refusal(answer.status, answer.text);
		done += body.size;
		report();
	};
	const todo = Array.from({ length: upload.parts }, (_, i) => i + 1).filter((n) => !upload.partsDone.includes(n));
	/** Why parts failed, the first first: what the others stopped for. */
	const failures: unknown[] = [];
	try {
		if (todo[0] === 1) await sendPart(todo.shift() ?? 1);
		const lane = async () => {
			try {
				for (let n = todo.shift(); n !== undefined && failures.length === 0; n = todo.shift()) await sendPart(n);
			} catch (reason) {
				failures.push(reason);
				abort();
			}
		};
		await Promise.all(Array.from({ length: Math.min(PARTS_AT_ONCE, todo.length) }, lane));
		if (failures.length > 0) throw failures[0];
	} finally {
		signal.removeEventListener("abort", abort);
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
