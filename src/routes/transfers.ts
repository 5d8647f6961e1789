/**
 * Handing a chat over, and a case's history. An agent in the chat offers it to another agent
 * (one of the deployment's, with a console open, who hears of it on the console's live feed) or
 * puts it back in the queue; the target accepts or declines from their console; the offering
 * agent may cancel. The session decides all of it (src/session/transfer.ts); this checks who asks
 * and whom they name. The history lists a case's chats and reads each one's transcript or log.
 */
import { Hono } from "hono";
import { z } from "zod";
import { caseDirectoryOf, queueDirectoryOf, routerOf, sessionOf } from "../bindings";
import { CaseIdSchema } from "../shared/api";
import type { AgentList, CaseHistory } from "../shared/transfer";
import { TransferRequestSchema } from "../shared/transfer";
import type { TransferAsk, TransferOutcome } from "../session/contract";
import { transcriptKey } from "../session/contract";
import { agentActor, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { refused } from "./file-actor";
import { valid } from "./validate";
import { SessionParam } from "./params";

const CaseParam = z.object({ caseId: CaseIdSchema });
/** A case's history lists at most this many of its chats, the newest. */
const HISTORY_LIMIT = 50;

const STATUS_OF = { unknown: 404, forbidden: 403 } as const;

function answer(outcome: TransferOutcome) {
	if (outcome.ok) return { body: outcome.state, status: 200 as const };
	const status = outcome.code === "unknown" || outcome.code === "forbidden" ? STATUS_OF[outcome.code] : (409 as const);
	return { body: { error: outcome.message }, status };
}

/** POST /api/sessions/{id}/transfer, …/cancel, …/accept, …/decline; GET /api/sessions/{id}/log. */
export const transfers = new Hono<AppEnv>()
	.use(requireAgent)
	.post("/:sessionId/transfer", valid("param", SessionParam), valid("json", TransferRequestSchema), async (c) => {
		const request = c.req.valid("json");
		const me = agentActor(c.get("agent"));
		let command: TransferAsk = { type: "transfer_to_queue" };
		if (request.to === "agent") {
			const target = c.get("config").agents.find((agent) => agent.name === request.agent);
			if (!target) return c.json({ error: `there is no agent called ${request.agent}` }, 404);
			const to = agentActor(target);
			// An offer is answered from the console: to someone without one open it would only expire.
			if (to.id !== me.id && (await queueDirectoryOf(c.env).agentsOnline([to.id])).length === 0) {
				return c.json({ error: `${target.name} has no console open, so they cannot be offered the chat` }, 409);
			}
			command = { type: "offer_transfer", to };
		}
		const { body, status } = answer(await sessionOf(c.env, c.req.valid("param").sessionId).transfer(me, command));
		return c.json(body, status);
	})
	.post("/:sessionId/transfer/cancel", valid("param", SessionParam), async (c) => {
		const { body, status } = answer(await sessionOf(c.env, c.req.valid("param").sessionId).transfer(agentActor(c.get("agent")), { type: "cancel_transfer" }));
		return c.json(body, status);
	})
	.post("/:sessionId/transfer/accept", valid("param", SessionParam), async (c) => {
		const { sessionId } = c.req.valid("param");
		const session = sessionOf(c.env, sessionId);
		const agent = c.get("agent");
		const outcome = await session.transfer(agentActor(agent), { type: "answer_transfer", accept: true });
		// The team's router counts the chat against the agent who has it now.
		const routing = outcome.ok ? await session.routing() : null;
		if (routing) await routerOf(c.env, routing.team).handedTo(routing.team, sessionId, agent.name);
		const { body, status } = answer(outcome);
		return c.json(body, status);
	})
	.post("/:sessionId/transfer/decline", valid("param", SessionParam), async (c) => {
		const { body, status } = answer(await sessionOf(c.env, c.req.valid("param").sessionId).transfer(agentActor(c.get("agent")), { type: "answer_transfer", accept: false }));
		return c.json(body, status);
	})
	.get("/:sessionId/log", valid("param", SessionParam), async (c) => {
		const snapshot = await sessionOf(c.env, c.req.valid("param").sessionId).logSnapshot(agentActor(c.get("agent")));
		if (snapshot !== null && typeof snapshot !== "string") return refused(c, snapshot);
		return snapshot === null ? c.json({ error: "no such session" }, 404) : new Response(snapshot, { headers: { "Content-Type": "application/json" } });
	});

/** GET /api/agents: the deployment's other agents, and whether each has a console open. */
export const agents = new Hono<AppEnv>().use(requireAgent).get("/", async (c) => {
	const me = c.get("agent").name;
	const others = c.get("config").agents.filter((agent) => agent.name !== me);
	const online = new Set(await queueDirectoryOf(c.env).agentsOnline(others.map((agent) => agentActor(agent).id)));
	return c.json({ agents: others.map((agent) => ({ name: agent.name, online: online.has(agentActor(agent).id) })) } satisfies AgentList);
});

/** GET /api/cases/{caseId}/history: the case's chats, oldest first, each with whether its transcript is written. */
export const caseHistory = new Hono<AppEnv>().use(requireAgent).get("/:caseId/history", valid("param", CaseParam), async (c) => {
	const { caseId } = c.req.valid("param");
	const directory = caseDirectoryOf(c.env, caseId);
	if (!(await directory.getCase(caseId))) return c.json({ error: "no such case" }, 404);
	const ids = (await directory.sessionsOfCase(caseId)).slice(-HISTORY_LIMIT);
	const sessions = await Promise.all(
		ids.map(async (sessionId) => {
			const [summary, stored] = await Promise.all([sessionOf(c.env, sessionId).summary(), c.env.ARCHIVE.head(transcriptKey(caseId, sessionId))]);
			return summary && { ...summary, transcript: stored !== null };
		}),
	);
	return c.json({ caseId, sessions: sessions.filter((s) => s !== null) } satisfies CaseHistory);
});
