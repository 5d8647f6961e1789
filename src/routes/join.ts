/**
 * End-users join with the support key or the invite link. Support keys are short, so wrong
 * ones are counted per address and a guesser is stopped with 429.
 */
import { Hono } from "hono";
import { directoryOf, limiterOf, sessionOf } from "../bindings";
import { JoinSchema } from "../shared/api";
import { splitInviteToken } from "../security/invite-token";
import type { CustomerProof } from "../session/chat-session";
import { REFUSALS, joined } from "./admission";
import type { AppEnv } from "./context";
import { valid } from "./validate";

export const WRONG_KEY_LIMIT = 10;
export const WRONG_KEY_WINDOW_MS = 15 * 60 * 1000;

export const join = new Hono<AppEnv>().post("/", valid("json", JoinSchema), async (c) => {
	const address = c.req.header("CF-Connecting-IP") ?? "local";
	const limiter = limiterOf(c.env, `wrong-key:${address}`);
	const decision = await limiter.check(WRONG_KEY_LIMIT, WRONG_KEY_WINDOW_MS);
	if (!decision.allowed) {
		return c.json({ error: "too many wrong keys from this address: try again later" }, 429, {
			"Retry-After": String(Math.ceil(decision.retryAfterMs / 1000)),
		});
	}

	const body = c.req.valid("json");
	let sessionId: string;
	let proof: CustomerProof;
	if ("supportKey" in body) {
		const found = await directoryOf(c.env).findSupportKey(body.supportKey, Date.now());
		if (found?.expired) return c.json({ error: REFUSALS.expired.error }, REFUSALS.expired.status);
		if (!found) {
			await limiter.hit();
			return c.json({ error: REFUSALS.unknown.error }, REFUSALS.unknown.status);
		}
		sessionId = found.sessionId;
		proof = { supportKeyChecked: true };
	} else {
		const token = splitInviteToken(body.inviteToken);
		if (!token) return c.json({ error: REFUSALS.unknown.error }, REFUSALS.unknown.status);
		sessionId = token.sessionId;
		proof = { inviteSecret: token.secret };
	}

	const admission = await sessionOf(c.env, sessionId).admitCustomer(proof);
	if (!admission.ok) {
		if (admission.reason === "unknown") await limiter.hit();
		const refusal = REFUSALS[admission.reason];
		return c.json({ error: refusal.error }, refusal.status);
	}
	return c.json(await joined(c.get("config"), c.req.url, sessionId, admission));
});
