/**
 * Request bodies are JSON and nothing else: `Content-Type: application/json`, with no charset or
 * charset=utf-8. Anything else gets 415 before a parser sees it; Hono's own check would take
 * `application/vnd.evil+json` or `charset=utf-7` as JSON. The bytes must be valid UTF-8, or a
 * decoder would put U+FFFD in place of what was sent (text.ts). Malformed JSON then gets 400 from
 * the validator (validate.ts), and JSON that does not fit the schema 422.
 */
import { parse } from "content-type";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

function isJsonType(header: string): boolean {
	try {
		const { type, parameters } = parse(header);
		const names = Object.keys(parameters);
		const charset = parameters["charset"]?.toLowerCase();
		return type === "application/json" && names.every((name) => name === "charset") && (charset === undefined || charset === "utf-8");
	} catch {
		return false;
	}
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

const NOT_JSON = "request bodies must be JSON: Content-Type: application/json";

export const jsonBodies = createMiddleware<AppEnv>(async (c, next) => {
	const type = c.req.header("Content-Type");
	if (type !== undefined && !isJsonType(type)) return c.json({ error: NOT_JSON }, 415);
	if (c.req.raw.body !== null) {
		// Read once here; the validator parses the same bytes from Hono's cache.
		const bytes = await c.req.arrayBuffer();
		if (bytes.byteLength > 0 && type === undefined) return c.json({ error: NOT_JSON }, 415);
		try {
			UTF8.decode(bytes);
		} catch {
			return c.json({ error: "the request body is not valid UTF-8" }, 400);
		}
	}
	await next();
});
