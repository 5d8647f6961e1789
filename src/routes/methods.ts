/**
 * 405 for a method a path does not answer, before anything else looks at the request: an agent
 * route asked with TRACE says 405, not 401. The methods each path has come from the routes the app
 * has registered, so they cannot drift from them. (CONNECT never reaches the Worker: the runtime
 * hands it to a `connect()` handler, and wrangler's local proxy answers it with a plain 500.)
 */
import type { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { PatternRouter } from "hono/router/pattern-router";
import type { AppEnv } from "./context";

/** The methods the API and the pages use; any other (TRACE, PROPFIND …) is refused. */
const KNOWN_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export function allowMethods(app: Hono<AppEnv>) {
	let router: PatternRouter<true> | null = null;
	/** The methods some route answers at `path`; HEAD wherever GET is. */
	const allowed = (path: string): string[] => {
		if (!router) {
			router = new PatternRouter<true>();
			// Middleware is registered as ALL; only handlers say which methods a path has.
			for (const route of app.routes) if (route.method !== "ALL") router.add(route.method, route.path, true);
		}
		const found = router;
		const methods: string[] = KNOWN_METHODS.filter((method) => found.match(method, path)[0].length > 0);
		return methods.includes("GET") && !methods.includes("HEAD") ? [...methods, "HEAD"] : methods;
	};
	return createMiddleware<AppEnv>(async (c, next) => {
		const methods = allowed(new URL(c.req.url).pathname);
		const known = KNOWN_METHODS.some((method) => method === c.req.method);
		// An unknown path with a known method is the not-found handler's: 404.
		if (known && (methods.length === 0 || methods.includes(c.req.method))) return next();
		return c.json({ error: `${c.req.method} is not allowed here${methods.length ? `: use ${methods.join(", ")}` : ""}` }, 405, { Allow: methods.join(", ") });
	});
}
