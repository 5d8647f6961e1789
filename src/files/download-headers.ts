/**
 * The headers a stored file is served with. A file is never a page of ours: it keeps the type it
 * was stored with, the browser may not guess another (nosniff), and whatever opens it runs in a
 * sandbox with no access to our origin. Only raster images proved by their bytes are shown inline.
 */

/** `Content-Disposition` per RFC 6266: an ASCII fallback for old clients, and the real name as RFC 8187 `filename*`. */
export function contentDisposition(kind: "attachment" | "inline", name: string): string {
	const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_").trim() || "file";
	return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

function encodeRfc8187(value: string): string {
	// encodeURIComponent leaves !'()* as they are; RFC 8187's attr-char does not allow them.
	return encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function downloadHeaders(file: { name: string; contentType: string; size: number }, inline: boolean): Headers {
	return new Headers({
		"Content-Type": file.contentType,
		"Content-Length": String(file.size),
		"Content-Disposition": contentDisposition(inline ? "inline" : "attachment", file.name),
		"X-Content-Type-Options": "nosniff",
		"Content-Security-Policy": "sandbox",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Cache-Control": "private, no-store",
		"Referrer-Policy": "no-referrer",
	});
}
