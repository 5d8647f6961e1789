/** Links this deployment hands out. */
import { createMiddleware } from "hono/factory";
import type { Config } from "../config";
import type { AppEnv } from "./context";

/** The public origin: PUBLIC_URL when set (a custom domain), else the origin the request came to. */
export function publicOrigin(requestUrl: string, config: Config): string {
	return new URL(config.publicUrl ?? requestUrl).origin;
}

/**
 * The invite link. The token travels in the fragment, which browsers never send to a server,
 * so it stays out of access logs and Referer headers.
 */
export function inviteUrl(requestUrl: string, config: Config, token: string): string {
	return `${publicOrigin(requestUrl, config)}/join#invite=${token}`;
}

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
