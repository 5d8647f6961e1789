/**
 * End-users join with the support key or the invite link. Support keys are short, so wrong
 * ones are counted per address and a guesser is stopped with 429. Many addresses together are
 * held to the deployment's budget of wrong keys: past it, a key join needs a solved Turnstile
 * challenge. The directory checks and counts both in the same call that looks the key up. A link
 * carries a MAC the Worker checks itself; a wrong one is counted too, and only a genuine one
 * reaches a session.
 * Two doors, one join: POST /api/join answers with what a client needs to open the chat's socket;
 * GET /api/join/ws, for an invite link, is that socket already, its first frame the same answer
 * (a round trip less for the phone that opens the link). Past the link's MAC, the session admits,
 * answers and upgrades that socket in one call (session/customer-door.ts). A refused join over it
 * gets the refusal as that frame, and the socket closes.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { directoryShards, keyDirectoryOf, linkGuessDirectoryOf, sessionOf } from "../bindings";
import { perShard } from "../directory/contract";
import type { Challenge, JoinRequest } from "../shared/api";
import { InviteTokenSchema, JoinSchema } from "../shared/api";
import type { Refusal } from "../shared/refusals";
import { REFUSALS } from "../shared/refusals";
import { CHAT_SUBPROTOCOL, inviteFromProtocols } from "../shared/socket-auth";
import { refusedOnSocket } from "../http/join-frame";
import { readInviteToken } from "../security/invite-token";
import { joined } from "../security/join-answer";
import { turnstilePasses } from "../security/turnstile";
import type { CustomerProof } from "../session/contract";
import { JOIN_LINK_HEADER } from "../session/contract";
import type { AppEnv } from "./context";
import { guesser, tooMany } from "./guesses";
import { refuseForeignOrigin } from "./links";
import { valid } from "./validate";

/** The session a key or link leads to, with what proves the customer may join it; or the answer that refuses them. */
type Checked<P> = { ok: true; sessionId: string; proof: P } | { ok: false; refusal: Response };

function refuse(c: Context<AppEnv>, reason: Refusal): { ok: false; refusal: Response } {
	return { ok: false, refusal: c.json({ error: REFUSALS[reason].error }, REFUSALS[reason].status) };
}

function limited(c: Context<AppEnv>, retryAfterMs: number): { ok: false; refusal: Response } {
	return { ok: false, refusal: tooMany(c, "too many wrong keys from this address: try again later", retryAfterMs) };
}

async function checkKey(c: Context<AppEnv>, body: Extract<JoinRequest, { supportKey: string }>): Promise<Checked<CustomerProof>> {
	const config = c.get("config");
	// Each shard of the directory keeps its share of the deployment's budget.
	const budget = { perMinute: perShard(config.wrongKeyBudgetPerMinute, directoryShards(c.env)), challengePassed: false };
	const directory = keyDirectoryOf(c.env, body.supportKey);
	let found = await directory.findSupportKey(body.supportKey, guesser(c), budget, Date.now());
	if (found.outcome === "challenge") {
		// The deployment's budget of wrong keys is spent: only someone who solved the challenge gets the key looked up.
		if (!config.turnstile) return refuse(c, "key_paused");
		const passed = body.turnstileToken !== undefined && (await turnstilePasses(config.turnstile, body.turnstileToken, c.req.header("CF-Connecting-IP")));
		if (!passed) return { ok: false, refusal: c.json({ error: "confirm you are a person to join with a key", turnstileSiteKey: config.turnstile.siteKey } satisfies Challenge, 428) };
		found = await directory.findSupportKey(body.supportKey, guesser(c), { ...budget, challengePassed: true }, Date.now());
	}
	if (found.outcome === "limited") return limited(c, found.retryAfterMs);
	if (found.outcome === "challenge") return refuse(c, "key_paused");
	if (found.outcome === "unknown") return refuse(c, "unknown");
	if (found.expired) return refuse(c, "expired");
	return { ok: true, sessionId: found.sessionId, proof: { supportKeyChecked: true } };
}

/** Only a link whose MAC holds reaches a session; a wrong one is counted as a guess. */
async function checkLink(c: Context<AppEnv>, inviteToken: string): Promise<Checked<{ inviteSecret: string }>> {
	const token = await readInviteToken(c.get("config").keys.inviteLinks, inviteToken);
	if (token) return { ok: true, sessionId: token.sessionId, proof: { inviteSecret: token.secret } };
	const wrong = await linkGuessDirectoryOf(c.env).wrongGuess(guesser(c), Date.now());
	return wrong.outcome === "limited" ? limited(c, wrong.retryAfterMs) : refuse(c, "unknown");
}

export const join = new Hono<AppEnv>()
	.post("/", valid("json", JoinSchema), async (c) => {
		const body = c.req.valid("json");
		const checked = "supportKey" in body ? await checkKey(c, body) : await checkLink(c, body.inviteToken);
		if (!checked.ok) return checked.refusal;
		const admission = await sessionOf(c.env, checked.sessionId).admitCustomer(checked.proof);
		if (!admission.ok) return refuse(c, admission.reason).refusal;
		return c.json(await joined(c.get("config"), c.req.url, admission));
	})
	.get("/ws", refuseForeignOrigin, async (c) => {
		if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.json({ error: "expected a WebSocket upgrade" }, 426);
		const inviteToken = inviteFromProtocols(c.req.header("Sec-WebSocket-Protocol"));
		if (inviteToken === null) return c.json({ error: `an invite token is required, offered as the subprotocol "invite.<token>" next to "${CHAT_SUBPROTOCOL}"` }, 401);
		// The token alone: the whole join body's union would try a support key's shape on it first.
		const token = InviteTokenSchema.safeParse(inviteToken);
		if (!token.success) return refusedOnSocket(c.json({ error: "not an invite token" }, 422));
		const checked = await checkLink(c, token.data);
		if (!checked.ok) return refusedOnSocket(checked.refusal);
		// The chat's own socket from here, as GET /api/sessions/{id}/ws opens it from the start.
		const url = new URL(`/api/sessions/${checked.sessionId}/ws?since=0`, c.req.url);
		return sessionOf(c.env, checked.sessionId).fetch(url, { headers: { Upgrade: "websocket", [JOIN_LINK_HEADER]: checked.proof.inviteSecret } });
	});
