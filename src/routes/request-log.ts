/**
 * A log line per request, with an id that the answer carries too (`X-Request-Id`), so that a
 * report from a user can be found in the log. Cloudflare's ray id is the id when there is one.
 * Only the method, the path (ids, never a token: links keep theirs in the fragment, sockets in a
 * subprotocol), the status and the time taken are logged.
 */
import { createMiddleware } from "hono/factory";
import { logLine } from "../logging/log";
import { randomId128 } from "../security/random";
import type { AppEnv } from "./context";

export function requestIdOf(request: Request): string {
	return request.headers.get("CF-Ray") ?? randomId128();
}

/** The request's line, once it is answered; `started` is when it came in (epoch ms). */
export function logRequest(requestId: string, request: Request, status: number, started: number): void {
	logLine(status >= 500 ? "error" : "info", "request", { requestId, method: request.method, path: new URL(request.url).pathname, status, ms: Date.now() - started });
}

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
	const requestId = requestIdOf(c.req.raw);
	c.set("requestId", requestId);
	const started = Date.now();
	await next();
	logRequest(requestId, c.req.raw, c.res.status, started);
	if (c.res.status !== 101) c.header("X-Request-Id", requestId);
});
