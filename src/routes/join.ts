/**
 * End-users join with the support key or the invite link. Support keys are short, so wrong
 * ones are counted per address and a guesser is stopped with 429: the directory counts them in
 * the same call that looks the key up. A link carries a signature the Worker checks itself; a
 * wrong one is counted too, and only a signed one reaches a session.
 */
import { Hono } from "hono";
import { directoryOf, sessionOf } from "../bindings";
import { JoinSchema } from "../shared/api";
import { readInviteToken } from "../security/invite-token";
import type { CustomerProof } from "../session/contract";
import { REFUSALS, joined } from "./admission";
import type { AppEnv } from "./context";
import { guesser, tooMany } from "./guesses";
import { valid } from "./validate";

export const join = new Hono<AppEnv>().post("/", valid("json", JoinSchema), async (c) => {
	const refuse = (reason: keyof typeof REFUSALS) => c.json({ error: REFUSALS[reason].error }, REFUSALS[reason].status);
	const limited = (retryAfterMs: number) => tooMany(c, "too many wrong keys from this address: try again later", retryAfterMs);
	const body = c.req.valid("json");
	const directory = directoryOf(c.env);
	let sessionId: string;
	let proof: CustomerProof;
	if ("supportKey" in body) {
		const found = await directory.findSupportKey(body.supportKey, guesser(c), Date.now());
		if (found.outcome === "limited") return limited(found.retryAfterMs);
		if (found.outcome === "unknown") return refuse("unknown");
		if (found.expired) return refuse("expired");
		sessionId = found.sessionId;
		proof = { supportKeyChecked: true };
	} else {
		const token = await readInviteToken(c.get("config").signingKey, body.inviteToken);
		if (!token) {
			const wrong = await directory.wrongGuess(guesser(c), Date.now());
			return wrong.outcome === "limited" ? limited(wrong.retryAfterMs) : refuse("unknown");
		}
		sessionId = token.sessionId;
		proof = { inviteSecret: token.secret };
	}
	const admission = await sessionOf(c.env, sessionId).admitCustomer(proof);
	if (!admission.ok) return refuse(admission.reason);
	return c.json(await joined(c.get("config"), c.req.url, sessionId, admission));
});
