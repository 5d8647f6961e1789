/**
 * Headers on every answer the Worker gives. `nosniff` everywhere, so that no answer is ever run
 * as a script or a page it is not. API answers carry tokens, keys and case data: `no-store` keeps
 * them out of every cache (the browser's, a proxy's), and `Cross-Origin-Resource-Policy` keeps
 * other sites from loading them at all. Files served straight from the assets get theirs from
 * public/_headers.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

/** The answer to a request for `url` with these headers added. */
export function withAnswerHeaders(response: Response, url: string): Response {
	// A WebSocket upgrade's answer has no body to sniff or cache, and its object's headers are immutable.
	if (response.status === 101) return response;
	const headers = new Headers(response.headers);
	headers.set("X-Content-Type-Options", "nosniff");
	if (new URL(url).pathname.startsWith("/api/")) {
		headers.set("Cache-Control", "no-store");
		headers.set("Cross-Origin-Resource-Policy", "same-origin");
	}
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export const responseHeaders = createMiddleware<AppEnv>(async (c, next) => {
	await next();
	if (c.res.status !== 101) c.res = withAnswerHeaders(c.res, c.req.url);
});
