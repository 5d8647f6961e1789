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

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
	const requestId = c.req.header("CF-Ray") ?? randomId128();
	c.set("requestId", requestId);
	const started = Date.now();
	await next();
	logLine(c.res.status >= 500 ? "error" : "info", "request", { requestId, method: c.req.method, path: new URL(c.req.url).pathname, status: c.res.status, ms: Date.now() - started });
	if (c.res.status !== 101) c.header("X-Request-Id", requestId);
});
