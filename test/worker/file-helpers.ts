/** Sends files the way the pages do: start, the parts in order, complete. */
import { env } from "cloudflare:workers";
import type { Joined } from "../../src/shared/api";
import type { Upload } from "../../src/shared/files";
import { api } from "./helpers";

/** A 1×1 PNG: signature, IHDR, IDAT, IEND. */
export const PNG = Uint8Array.from(
	atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
	(c) => c.charCodeAt(0),
);
export const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

/** `Bearer` with the participant's own token; agents may use theirs (api() sends it by default). */
export function as(joined: Joined): { agent: false; headers: Record<string, string> } {
	return { agent: false, headers: { Authorization: `Bearer ${joined.token}` } };
}

export function filesPath(joined: Joined, rest = ""): string {
	return `/api/sessions/${joined.sessionId}/files${rest}`;
}

export async function startUpload(joined: Joined, file: { clientId: string; name: string; size: number; type?: string }): Promise<Response> {
	return api(filesPath(joined), { method: "POST", body: JSON.stringify(file), ...as(joined) });
}

export async function sendPart(joined: Joined, fileId: string, part: number, bytes: Uint8Array): Promise<Response> {
	const auth = as(joined);
	return api(filesPath(joined, `/${fileId}/parts/${part}`), { method: "PUT", body: bytes, agent: false, headers: { ...auth.headers, "Content-Length": String(bytes.byteLength) } });
}

export async function complete(joined: Joined, fileId: string): Promise<Response> {
	return api(filesPath(joined, `/${fileId}/complete`), { method: "POST", ...as(joined) });
}

export async function json<T>(response: Response, status: number): Promise<T> {
	if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
	return response.json<T>();
}

/** Uploads a whole file; the finished upload. */
export async function sendFile(joined: Joined, name: string, bytes: Uint8Array, type = "", clientId = `f-${name.replace(/[^A-Za-z0-9_.:-]/g, "_")}`): Promise<Upload> {
	const upload = await json<Upload>(await startUpload(joined, { clientId, name, size: bytes.byteLength, type }), 201);
	for (let n = 1; n <= upload.parts; n++) {
		await json<Upload>(await sendPart(joined, upload.fileId, n, bytes.subarray((n - 1) * upload.partBytes, n * upload.partBytes)), 200);
	}
	return json<Upload>(await complete(joined, upload.fileId), 200);
}

/** Keys R2 holds under the session's attachments. */
export async function storedKeys(joined: Joined): Promise<string[]> {
	const listed = await env.ARCHIVE.list({ prefix: `attachments/${joined.caseId}/${joined.sessionId}/` });
	return listed.objects.map((o) => o.key);
}

export async function download(path: string, init: RequestInit & { agent?: boolean } = {}): Promise<{ response: Response; bytes: Uint8Array }> {
	const response = await api(path, init);
	return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Bytes that are not any known format, as many as asked. */
export function filler(size: number, seed = 7): Uint8Array {
	const bytes = new Uint8Array(size);
	for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) % 251;
	return bytes;
}
