/**
 * End-users join with the support key or the invite link. Support keys are short, so wrong
 * ones are counted per address and a guesser is stopped with 429. Many addresses together are
 * held to the deployment's budget of wrong keys: past it, a key join needs a solved Turnstile
 * challenge. The directory checks and counts both in the same call that looks the key up. A link
 * carries a MAC the Worker checks itself; a wrong one is counted too, and only a genuine one
 * reaches a session.
 * Two doors, one join: POST /api/join answers with what a client needs to open the chat's socket;
 * GET /api/join/ws, for an invite link, is that socket already, its first frame the same answer
 * (a round trip less for the phone that opens the link). A refused join over it gets the refusal
 * as that frame, and the socket closes.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { directoryShards, keyDirectoryOf, linkGuessDirectoryOf, sessionOf } from "../bindings";
import { perShard } from "../directory/contract";
import type { Challenge, Joined, JoinRequest } from "../shared/api";
import { JoinSchema } from "../shared/api";
import type { ServerFrame } from "../shared/protocol";
import { SERVER } from "../shared/protocol";
import { CHAT_SUBPROTOCOL, inviteFromProtocols } from "../shared/socket-auth";
import { socketPair } from "../http/socket-pair";
import { readInviteToken } from "../security/invite-token";
import { turnstilePasses } from "../security/turnstile";
import type { CustomerProof, SocketActor } from "../session/contract";
import { ACTOR_HEADER, JOIN_ANSWER_HEADER } from "../session/contract";
import { REFUSALS, joined } from "./admission";
import type { AppEnv } from "./context";
import { guesser, tooMany } from "./guesses";
import { refuseForeignOrigin } from "./links";
import { valid } from "./validate";

/** A join let in, with the participant its socket is for; or the answer that refuses it. */
type Outcome = { ok: true; joined: Joined; actor: SocketActor } | { ok: false; refusal: Response };

async function admit(c: Context<AppEnv>, body: JoinRequest): Promise<Outcome> {
	const refuse = (reason: keyof typeof REFUSALS): Outcome => ({ ok: false, refusal: c.json({ error: REFUSALS[reason].error }, REFUSALS[reason].status) });
	const limited = (retryAfterMs: number): Outcome => ({ ok: false, refusal: tooMany(c, "too many wrong keys from this address: try again later", retryAfterMs) });
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
			if (!passed) return { ok: false, refusal: c.json({ error: "confirm you are a person to join with a key", turnstileSiteKey: config.turnstile.siteKey } satisfies Challenge, 428) };
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
	const { actor, deviceId } = admission;
	return { ok: true, joined: await joined(config, c.req.url, sessionId, admission), actor: { id: actor.id, role: actor.role, name: actor.name, deviceId } };
}

/** The join socket's first frame: the answer POST /api/join gives, its status and body. */
function answerFrame(status: number, answer: unknown, retryAfter: string | null = null): string {
	const seconds = Number(retryAfter);
	return JSON.stringify({ type: SERVER.join, status, answer, retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : null } satisfies ServerFrame);
}

/** A refused join on the socket: the refusal, then the close; nothing of the socket reaches a session. */
async function refusedOnSocket(refusal: Response): Promise<Response> {
	const { client, server } = socketPair();
	server.accept();
	server.send(answerFrame(refusal.status, await refusal.json(), refusal.headers.get("Retry-After")));
	server.close(1000, "join refused");
	return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": CHAT_SUBPROTOCOL } });
}

export const join = new Hono<AppEnv>()
	.post("/", valid("json", JoinSchema), async (c) => {
		const outcome = await admit(c, c.req.valid("json"));
		return outcome.ok ? c.json(outcome.joined) : outcome.refusal;
	})
	.get("/ws", refuseForeignOrigin, async (c) => {
		if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.json({ error: "expected a WebSocket upgrade" }, 426);
		const inviteToken = inviteFromProtocols(c.req.header("Sec-WebSocket-Protocol"));
		if (inviteToken === null) return c.json({ error: `an invite token is required, offered as the subprotocol "invite.<token>" next to "${CHAT_SUBPROTOCOL}"` }, 401);
		const body = JoinSchema.safeParse({ inviteToken });
		if (!body.success) return refusedOnSocket(c.json({ error: "not an invite token" }, 422));
		const outcome = await admit(c, body.data);
		if (!outcome.ok) return refusedOnSocket(outcome.refusal);
		const { sessionId } = outcome.joined;
		// The chat's own socket from here, as GET /api/sessions/{id}/ws opens it from the start; the
		// session sends the answer before its state.
		const url = new URL(`/api/sessions/${sessionId}/ws?since=0`, c.req.url);
		const headers = { Upgrade: "websocket", [ACTOR_HEADER]: JSON.stringify(outcome.actor), [JOIN_ANSWER_HEADER]: answerFrame(200, outcome.joined) };
		return sessionOf(c.env, sessionId).fetch(url, { headers });
	});
