/**
 * 405 for a method a path does not answer, before anything else looks at the request: an agent
 * route asked with TRACE says 405, not 401. The methods each path has come from the routes the app
 * has registered, so they cannot drift from them. (CONNECT never reaches the Worker: the runtime
 * hands it to a `connect()` handler, and wrangler's local proxy answers it with a plain 500.)
 */
import type { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import type { AppEnv } from "./context";

/** The methods the API and the pages use; any other (TRACE, PROPFIND …) is refused. */
const KNOWN_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export function allowMethods(app: Hono<AppEnv>) {
	let router: SmartRouter<true> | null = null;
	/** Whether some route answers `method` at `path`; HEAD wherever GET does. */
	const answers = (method: string, path: string): boolean => {
		if (!router) {
			// Hono's own choice of router, built on first use: every request asks, so it must be cheap
			// (a PatternRouter tried every route's expression for every method, on every request).
			router = new SmartRouter<true>({ routers: [new RegExpRouter(), new TrieRouter()] });
			// Middleware is registered as ALL; only handlers say which methods a path has.
			for (const route of app.routes) if (route.method !== "ALL") router.add(route.method, route.path, true);
		}
		const found = router;
		const has = (m: string) => found.match(m, path)[0].length > 0;
		return has(method) || (method === "HEAD" && has("GET"));
	};
	return createMiddleware<AppEnv>(async (c, next) => {
		const path = c.req.path;
		const known = KNOWN_METHODS.some((method) => method === c.req.method);
		// The usual request: its method is one the path answers. Only a refusal lists them all.
		if (known && answers(c.req.method, path)) return next();
		// HEAD last, after the methods the routes name.
		const methods: string[] = KNOWN_METHODS.filter((method) => method !== "HEAD" && answers(method, path));
		if (answers("HEAD", path)) methods.push("HEAD");
		// An unknown path with a known method is the not-found handler's: 404.
		if (known && methods.length === 0) return next();
		return c.json({ error: `${c.req.method} is not allowed here${methods.length ? `: use ${methods.join(", ")}` : ""}` }, 405, { Allow: methods.join(", ") });
	});
}
