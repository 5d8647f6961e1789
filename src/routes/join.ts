/**
 * End-users join with the support key or the invite link. Support keys are short, so wrong
 * ones are counted per address and a guesser is stopped with 429 (guesses.ts).
 */
import { Hono } from "hono";
import { directoryOf, sessionOf } from "../bindings";
import { JoinSchema } from "../shared/api";
import { readInviteToken } from "../security/invite-token";
import type { CustomerProof } from "../session/chat-session";
import { REFUSALS, joined } from "./admission";
import type { AppEnv } from "./context";
import { limitGuesses } from "./guesses";
import { valid } from "./validate";

export const join = new Hono<AppEnv>().post("/", valid("json", JoinSchema), (c) =>
	limitGuesses(c, "key", async () => {
		const refuse = (reason: keyof typeof REFUSALS) => ({
			response: c.json({ error: REFUSALS[reason].error }, REFUSALS[reason].status),
			wrong: reason === "unknown",
		});
		const body = c.req.valid("json");
		let sessionId: string;
		let proof: CustomerProof;
		if ("supportKey" in body) {
			const found = await directoryOf(c.env).findSupportKey(body.supportKey, Date.now());
			if (!found) return refuse("unknown");
			if (found.expired) return refuse("expired");
			sessionId = found.sessionId;
			proof = { supportKeyChecked: true };
		} else {
			const token = await readInviteToken(c.get("config").signingKey, body.inviteToken);
			if (!token) return refuse("unknown");
			sessionId = token.sessionId;
			proof = { inviteSecret: token.secret };
		}
		const admission = await sessionOf(c.env, sessionId).admitCustomer(proof);
		if (!admission.ok) return refuse(admission.reason);
		return { response: c.json(await joined(c.get("config"), c.req.url, sessionId, admission)), wrong: false };
	}),
);
