/**
 * End-users join with the support key or the invite link. Support keys are short, so wrong
 * ones are counted per address and a guesser is stopped with 429. Many addresses together are
 * held to the deployment's budget of wrong keys: past it, a key join needs a solved Turnstile
 * challenge. The directory checks and counts both in the same call that looks the key up. A link
 * carries a MAC the Worker checks itself; a wrong one is counted too, and only a genuine one
 * reaches a session.
 */
import { Hono } from "hono";
import { directoryShards, keyDirectoryOf, linkGuessDirectoryOf, sessionOf } from "../bindings";
import { perShard } from "../directory/contract";
import type { Challenge } from "../shared/api";
import { JoinSchema } from "../shared/api";
import { readInviteToken } from "../security/invite-token";
import { turnstilePasses } from "../security/turnstile";
import type { CustomerProof } from "../session/contract";
import { REFUSALS, joined } from "./admission";
import type { AppEnv } from "./context";
import { guesser, tooMany } from "./guesses";
import { valid } from "./validate";

export const join = new Hono<AppEnv>().post("/", valid("json", JoinSchema), async (c) => {
	const refuse = (reason: keyof typeof REFUSALS) => c.json({ error: REFUSALS[reason].error }, REFUSALS[reason].status);
	const limited = (retryAfterMs: number) => tooMany(c, "too many wrong keys from this address: try again later", retryAfterMs);
	const body = c.req.valid("json");
	const config = c.get("config");
	let sessionId: string;
	let proof: CustomerProof;
	if ("supportKey" in body) {
		// Each shard of the directory keeps its share of the deployment's budget.
		const budget = { perMinute: perShard(config.wrongKeyBudgetPerMinute, directoryShards(c.env)), challengePassed: false };
		const directory = keyDirectoryOf(c.env, body.supportKey);
		let found = await directory.findSupportKey(body.supportKey, guesser(c), budget, Date.now());
		if (found.outcome === "challenge") {
			// The deployment's budget of wrong keys is spent: only someone who solved the challenge gets the key looked up.
			if (!config.turnstile) return refuse("key_paused");
			const passed = body.turnstileToken !== undefined && (await turnstilePasses(config.turnstile, body.turnstileToken, c.req.header("CF-Connecting-IP")));
			if (!passed) return c.json({ error: "confirm you are a person to join with a key", turnstileSiteKey: config.turnstile.siteKey } satisfies Challenge, 428);
			found = await directory.findSupportKey(body.supportKey, guesser(c), { ...budget, challengePassed: true }, Date.now());
		}
		if (found.outcome === "limited") return limited(found.retryAfterMs);
		if (found.outcome === "challenge") return refuse("key_paused");
		if (found.outcome === "unknown") return refuse("unknown");
		if (found.expired) return refuse("expired");
		sessionId = found.sessionId;
		proof = { supportKeyChecked: true };
	} else {
		const token = await readInviteToken(config.keys.inviteLinks, body.inviteToken);
		if (!token) {
			const wrong = await linkGuessDirectoryOf(c.env).wrongGuess(guesser(c), Date.now());
			return wrong.outcome === "limited" ? limited(wrong.retryAfterMs) : refuse("unknown");
		}
		sessionId = token.sessionId;
		proof = { inviteSecret: token.secret };
	}
	const admission = await sessionOf(c.env, sessionId).admitCustomer(proof);
	if (!admission.ok) return refuse(admission.reason);
	return c.json(await joined(config, c.req.url, sessionId, admission));
});
