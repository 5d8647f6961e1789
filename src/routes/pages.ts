/**
 * The console and the join page: static files from the assets, sent by the Worker with headers
 * a static file cannot carry. The pages run only their own bundled scripts, talk only to this
 * origin, and cannot be framed. Neither belongs in a search index; the join page least of all.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { Config } from "../config";
import { readConfig } from "../config";
import type { AppEnv } from "./context";
import { inlineSources, preloadLink } from "./page-preloads";

/**
 * Where Cloudflare Turnstile's widget comes from: its script, and the frame it draws the challenge
 * in. Only the join page may load it, once the server asks for a challenge (join/turnstile.ts).
 */
const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";

/** chat: the customer's own start of a chat, which the website widget frames (src/pages/chat.ts). */
type PageName = "console" | "join" | "chat";

/** The pages that draw Turnstile's widget: the join page past the key budget, the chat page's form. */
const CHALLENGED: ReadonlySet<PageName> = new Set(["join", "chat"]);

/** Who may frame the page: only the chat page, and only from the configured sites (WIDGET_ORIGINS). */
function frameAncestors(config: Config, name: PageName): string {
	return name === "chat" ? ["'self'", ...config.widgetOrigins].join(" ") : "'none'";
}

/**
 * The policy is built from the configuration and the build's list of the page's inline scripts and styles,
 * never from the request: a Host header is whatever the client wrote. `'self'` covers the page's
 * own ws: and wss: in current browsers; a configured PUBLIC_URL is named as wss: too, for
 * browsers that read `'self'` as http(s) only.
 */
function contentSecurityPolicy(config: Config, name: PageName, inline: { scripts: string[]; styles: string[] }): string {
	const socketOrigin = config.publicUrl ? ` wss://${new URL(config.publicUrl).host}` : "";
	const turnstile = CHALLENGED.has(name) ? ` ${TURNSTILE_ORIGIN}` : "";
	return [
		"default-src 'self'",
		// An inline script or style only by its hash, as the build found it in the page (the join page's
		// early join, and the whole page: its module and its stylesheet).
		["script-src 'self'", ...inline.scripts].join(" ") + turnstile,
		// default-src's 'self' for frames, as before; the join page adds only Turnstile's.
		...(CHALLENGED.has(name) ? [`frame-src 'self'${turnstile}`] : []),
		["style-src 'self'", ...inline.styles].join(" "),
		"img-src 'self'",
		`connect-src 'self'${socketOrigin}`,
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		`frame-ancestors ${frameAncestors(config, name)}`,
	].join("; ");
}

async function page(c: Context<AppEnv>, name: PageName): Promise<Response> {
	const assetPath = `/${name}`;
	const asset = await c.env.ASSETS.fetch(new URL(assetPath, c.req.url));
	if (!asset.ok) return c.json({ error: `page ${assetPath} is missing from the assets` }, 500);
	const inline = await inlineSources(c.env.ASSETS, c.req.raw, name);
	// A page whose inline code no policy allowed would be blank: a broken build says so instead.
	if (!inline) return c.json({ error: `the build's list for page ${assetPath} is missing (public/build/preloads.json): run node scripts/build-client.mjs` }, 500);
	const headers = new Headers(asset.headers);
	headers.set("Content-Security-Policy", contentSecurityPolicy(readConfig(c.env), name, inline));
	headers.set("Referrer-Policy", "no-referrer");
	// X-Frame-Options cannot name sites: the chat page relies on frame-ancestors alone.
	if (name !== "chat") headers.set("X-Frame-Options", "DENY");
	headers.set("X-Robots-Tag", "noindex, nofollow");
	headers.set("Cache-Control", "no-cache");
	const preload = await preloadLink(c.env.ASSETS, c.req.raw, name);
	if (preload) headers.set("Link", preload);
	return new Response(asset.body, { status: 200, headers });
}

export const pages = new Hono<AppEnv>()
	.get("/", (c) => page(c, "console"))
	.get("/console", (c) => page(c, "console"))
	.get("/join", (c) => page(c, "join"))
	.get("/chat", (c) => page(c, "chat"));
