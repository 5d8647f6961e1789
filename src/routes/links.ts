/** Which origins may open this deployment's sockets and post with its cookies. */
import { createMiddleware } from "hono/factory";
import type { Config } from "../config";
import { publicOrigin } from "../http/public-url";
import type { AppEnv } from "./context";

/** Origins allowed to open WebSockets: this deployment's own, plus the configured extras. */
export function originAllowed(origin: string, requestUrl: string, config: Config): boolean {
	return origin === new URL(requestUrl).origin || origin === publicOrigin(requestUrl, config) || config.allowedOrigins.includes(origin);
}

/** Refuses a browser request from another site; clients that send no Origin (Node, curl) pass. */
export const refuseForeignOrigin = createMiddleware<AppEnv>(async (c, next) => {
	const origin = c.req.header("Origin");
	if (origin !== undefined && !originAllowed(origin, c.req.url, c.get("config"))) return c.json({ error: "origin not allowed" }, 403);
	await next();
});
