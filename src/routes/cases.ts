/** Cases, and starting a chat session on one. */
import { Hono } from "hono";
import { z } from "zod";
import { caseDirectoryOf, caseShardOf, everyCaseDirectory, newCaseDirectory, routerOf, sessionOf } from "../bindings";
import { homeQueueOf } from "../routing/routing-config";
import type { CaseRecord } from "../shared/api";
import { CaseIdSchema, CreateCaseSchema } from "../shared/api";
import type { StartedSession } from "../shared/api";
import { isFinished } from "../shared/protocol";
import { inviteToken, newInviteSecret } from "../security/invite-token";
import { randomId128 } from "../security/random";
import { inviteUrl } from "../http/public-url";
import { agentActor, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { refused } from "./file-actor";
import { valid } from "./validate";

const CaseParam = z.object({ caseId: CaseIdSchema });

export const cases = new Hono<AppEnv>()
	.use(requireAgent)
	.post("/", valid("json", CreateCaseSchema), async (c) => {
		const { directory, shard } = newCaseDirectory(c.env);
		const created = await directory.createCase(c.req.valid("json"), c.get("agent").name, Date.now(), shard);
		return c.json(created, 201);
	})
	.get("/", async (c) => c.json({ cases: await listCases(c.env) }))
	.get("/:caseId", valid("param", CaseParam), async (c) => {
		const found = await caseDirectoryOf(c.env, c.req.valid("param").caseId).getCase(c.req.valid("param").caseId);
		return found ? c.json(found) : c.json({ error: "no such case" }, 404);
	})
	.post("/:caseId/resolve", valid("param", CaseParam), async (c) => {
		const directory = caseDirectoryOf(c.env, c.req.valid("param").caseId);
		const found = await directory.getCase(c.req.valid("param").caseId);
		if (!found) return c.json({ error: "no such case" }, 404);
		// Every live chat of the case ends with it, for everyone in them; then the case is resolved
		// whether or not any chat was live.
		const live = new Set(await directory.liveSessionsOf(found.caseId));
		if (found.session && !isFinished(found.session.status)) live.add(found.session.sessionId);
		const agent = agentActor(c.get("agent"));
		// Asked before anything ends: an agent removed from one of the case's live chats resolves none of it.
		const [refusal] = (await Promise.all([...live].map((sessionId) => sessionOf(c.env, sessionId).refusalIfRemoved(agent.id)))).filter((r) => r !== null);
		if (refusal) return refused(c, refusal);
		await Promise.all([...live].map((sessionId) => sessionOf(c.env, sessionId).end(agent, "resolved", false)));
		return c.json(await directory.resolveCase(found.caseId, Date.now()));
	})
	.post("/:caseId/sessions", valid("param", CaseParam), async (c) => {
		const { directory, shard } = caseShardOf(c.env, c.req.valid("param").caseId);
		const found = await directory.getCase(c.req.valid("param").caseId);
		if (!found) return c.json({ error: "no such case" }, 404);
		if (found.status === "resolved") return c.json({ error: "this case is resolved; open a new case to chat again" }, 409);

		const config = c.get("config");
		const now = Date.now();
		const sessionId = randomId128();
		const inviteSecret = newInviteSecret();
		const expiresAt = now + config.keyTtlMs;
		const supportKey = await directory.reserveSupportKey(sessionId, found.caseId, expiresAt, now, shard);
		const agentName = c.get("agent").name;
		// Routed like a customer's own chat once its customer waits without an agent, the agent who started it first.
		const routing = homeQueueOf(config.routing, agentName);
		const customerName = found.customer.name ?? "Customer";
		await sessionOf(c.env, sessionId).open({
			sessionId,
			caseId: found.caseId,
			subject: found.subject,
			severity: found.severity,
			customerName,
			createdBy: agentName,
			createdAt: now,
			inviteSecret,
			supportKey,
			keyExpiresAt: expiresAt,
			chatMaxMs: config.chatMaxMs,
			disconnectWaitMs: config.disconnectWaitMs,
			recording: config.recording,
			routing,
		});
		await routerOf(c.env, routing.team).register(routing.team, { sessionId, caseId: found.caseId, queue: routing.queue, customerName, subject: found.subject, heldBy: agentName });
		// A new session replaces the case's earlier ones that nobody has joined yet: their keys no longer start a chat.
		const earlier = (await directory.liveSessionsOf(found.caseId)).filter((id) => id !== sessionId);
		const retired = await Promise.all(earlier.map(async (id) => ((await sessionOf(c.env, id).retire()) ? id : null)));
		const started: StartedSession = {
			sessionId,
			caseId: found.caseId,
			supportKey,
			inviteUrl: inviteUrl(c.req.url, config, await inviteToken(config.keys.inviteLinks, { sessionId, secret: inviteSecret })),
			expiresAt,
			replacedSessions: retired.filter((id) => id !== null),
		};
		return c.json(started, 201);
	});

const CASE_LIST_LIMIT = 200;

/** Open cases first, most recently active first, from every shard of the directory. */
async function listCases(env: Env): Promise<CaseRecord[]> {
	const shards = await Promise.all(everyCaseDirectory(env).map((directory) => directory.listCases(CASE_LIST_LIMIT)));
	if (shards.length === 1) return shards[0] ?? [];
	return shards
		.flat()
		.sort((a, b) => Number(a.status === "resolved") - Number(b.status === "resolved") || b.lastActivityAt - a.lastActivityAt)
		.slice(0, CASE_LIST_LIMIT);
}
