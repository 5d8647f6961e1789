/**
 * What a customer's chat start must pass, in this order, before anything is created: the
 * address's hourly allowance (counted first, so a flood from one address never reaches
 * siteverify), a solved Turnstile challenge (outside development a deployment without Turnstile
 * starts none), and the
 * deployment's ceiling of starts per minute (counted last, so unsolved challenges cannot spend it).
 */
import type { Context } from "hono";
import { limiterOf } from "../bindings";
import type { Challenge } from "../shared/api";
import { turnstilePasses } from "../security/turnstile";
import type { AppEnv } from "./context";
import { clientAddress, tooMany } from "./guesses";

const HOUR_MS = 3600_000;
const MINUTE_MS = 60_000;
const CEILING_BUCKET = "chat-starts:deployment";
export const NO_CHALLENGE = "chats cannot be started here: this deployment has no Turnstile keys (TURNSTILE_SITE_KEY, TURNSTILE_SECRET_KEY)";

/** Null when the start may go ahead; otherwise the answer that refuses it. */
export async function refuseStart(c: Context<AppEnv>, turnstileToken: string | undefined): Promise<Response | null> {
	const config = c.get("config");
	// Open to the internet: outside development no start goes ahead without a challenge to pass.
	if (!config.turnstile && !config.devMode) return c.json({ error: NO_CHALLENGE }, 503);
	const perAddress = await limiterOf(c.env, `chat-starts:${clientAddress(c)}`).take(config.chatStarts.perAddressPerHour, HOUR_MS);
	if (!perAddress.allowed) return tooMany(c, "too many chats started from this address: try again later", perAddress.retryAfterMs);
	if (config.turnstile) {
		const passed = turnstileToken !== undefined && (await turnstilePasses(config.turnstile, turnstileToken, c.req.header("CF-Connecting-IP")));
		if (!passed) return c.json({ error: "confirm you are a person to start a chat", turnstileSiteKey: config.turnstile.siteKey } satisfies Challenge, 428);
	}
	const ceiling = await limiterOf(c.env, CEILING_BUCKET).take(config.chatStarts.perMinute, MINUTE_MS);
	if (!ceiling.allowed) {
		return c.json({ error: "too many chats are starting right now: try again in a minute" }, 503, { "Retry-After": String(Math.ceil(ceiling.retryAfterMs / 1000)) });
	}
	return null;
}
