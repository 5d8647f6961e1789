/** A session seen from the agent's side, and the route of the WebSocket door both sides use (participant-socket.ts). */
import { Hono } from "hono";
import { z } from "zod";
import { caseDirectoryOf, queueDirectoryOf, sessionOf } from "../bindings";
import type { ReissuedLink } from "../shared/api";
import { transcriptKey } from "../session/contract";
import { isRefusal } from "../files/contract";
import { agentJoins } from "./agent-join";
import { participantSocket } from "./participant-socket";
import { refused } from "./file-actor";
import { agentActor, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { inviteToken, newInviteSecret } from "../security/invite-token";
import { inviteUrl } from "../http/public-url";
import { valid } from "./validate";
import { SessionParam } from "./params";

const TranscriptQuery = z.object({ download: z.enum(["0", "1"]).optional() });

/** A participant's socket: an upgrade is taken before the app (index.ts); this answers the rest of the path (HEAD, a GET that is no upgrade). */
export const sessionSocket = new Hono<AppEnv>().get("/:sessionId/ws", (c) => participantSocket(c.req.raw, c.env, c.get("config"), c.req.param("sessionId")));

export const sessions = new Hono<AppEnv>()
	.use(requireAgent)
	.get("/:sessionId", valid("param", SessionParam), async (c) => {
		const state = await sessionOf(c.env, c.req.valid("param").sessionId).describe();
		return state ? c.json(state) : c.json({ error: "no such session" }, 404);
	})
	.post("/:sessionId/agent", valid("param", SessionParam), (c) => agentJoins(c, c.req.valid("param").sessionId))
	.post("/:sessionId/invite-link", valid("param", SessionParam), async (c) => {
		// A new invite link: the old one (an SMS or email that went astray) stops working, and the devices that came in by it are disconnected.
		const { sessionId } = c.req.valid("param");
		const config = c.get("config");
		const secret = newInviteSecret();
		if (!(await sessionOf(c.env, sessionId).reissueLink(agentActor(c.get("agent")), secret))) return c.json({ error: "no such session, or its chat has ended" }, 409);
		return c.json({ inviteUrl: inviteUrl(c.req.url, config, await inviteToken(config.keys.inviteLinks, { sessionId, secret })) } satisfies ReissuedLink);
	})
	.post("/:sessionId/end", valid("param", SessionParam), async (c) => {
		const state = await sessionOf(c.env, c.req.valid("param").sessionId).end(agentActor(c.get("agent")), "ended_by_agent");
		if (state !== null && isRefusal(state)) return refused(c, state);
		return state ? c.json(state) : c.json({ error: "no such session" }, 404);
	})
	.post("/:sessionId/resolve", valid("param", SessionParam), async (c) => {
		const state = await sessionOf(c.env, c.req.valid("param").sessionId).end(agentActor(c.get("agent")), "resolved");
		if (state !== null && isRefusal(state)) return refused(c, state);
		if (!state) return c.json({ error: "no such session" }, 404);
		// The chat had already ended: resolving is about the case, which is still open.
		if (state.status !== "resolved") await caseDirectoryOf(c.env, state.case.caseId).resolveCase(state.case.caseId, Date.now());
		return c.json(state);
	})
	.get("/:sessionId/transcript", valid("param", SessionParam), valid("query", TranscriptQuery), async (c) => {
		const { sessionId } = c.req.valid("param");
		const state = await sessionOf(c.env, sessionId).describe();
		if (!state) return c.json({ error: "no such session" }, 404);
		const object = await c.env.ARCHIVE.get(transcriptKey(state.case.caseId, sessionId));
		if (!object) return c.json({ error: "the transcript is written when the chat ends" }, 409);
		const headers: Record<string, string> = { "Content-Type": "application/json" };
		if (c.req.valid("query").download === "1") headers["Content-Disposition"] = `attachment; filename="${state.case.caseId}-${sessionId}.json"`;
		return new Response(object.body, { headers });
	});

export const queue = new Hono<AppEnv>().use(requireAgent).get("/", async (c) => c.json({ queue: await queueDirectoryOf(c.env).waitingQueue() }));
