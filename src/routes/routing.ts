/**
 * The agent's side of routing: the teams their routing profile takes, their availability and
 * capacity, the console's live socket to each team's router (offers ring there), and answering
 * an offer. Accepting joins the agent to the chat exactly as picking it from the queue does.
 */
import { Hono } from "hono";
import { z } from "zod";
import { routerOf, sessionOf } from "../bindings";
import type { MyRouting, RoutingFrame } from "../shared/routing";
import { SetAvailabilitySchema } from "../shared/routing";
import { SIGN_IN_HEADER } from "../security/agent-sign-ins";
import { ROUTING_AGENT_HEADER } from "../routing/contract";
import { profileOf, teamsOfAgent } from "../routing/routing-config";
import { agentJoins } from "./agent-join";
import { agentActor, requireAgent } from "./auth";
import type { AppEnv } from "./context";
import { refused } from "./file-actor";
import { refuseForeignOrigin } from "./links";
import { valid } from "./validate";
import { SessionParam } from "./params";

const TeamQuery = z.object({ team: z.string().max(40) });

export const routing = new Hono<AppEnv>()
	.use(requireAgent)
	.get("/me", (c) => {
		const config = c.get("config");
		const name = c.get("agent").name;
		const profile = profileOf(config.routing, name);
		return c.json({ agent: name, teams: teamsOfAgent(config.routing, name).map((t) => ({ id: t.id, name: t.name })), queues: profile.queues, capacity: profile.capacity } satisfies MyRouting);
	})
	.post("/me", valid("json", SetAvailabilitySchema), async (c) => {
		const name = c.get("agent").name;
		const change = c.req.valid("json");
		const teams = teamsOfAgent(c.get("config").routing, name);
		const frames: RoutingFrame[] = await Promise.all(teams.map((t) => routerOf(c.env, t.id).setAvailability(t.id, name, change)));
		return c.json({ teams: frames });
	})
	.get("/ws", valid("query", TeamQuery), refuseForeignOrigin, async (c) => {
		if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") return c.json({ error: "expected a WebSocket upgrade" }, 426);
		const { team } = c.req.valid("query");
		const name = c.get("agent").name;
		if (!teamsOfAgent(c.get("config").routing, name).some((t) => t.id === team)) return c.json({ error: `your routing profile takes no queue of team "${team}"` }, 403);
		const signIn = c.get("signIn");
		const url = new URL(c.req.url);
		url.search = `?team=${encodeURIComponent(team)}`;
		return routerOf(c.env, team).fetch(new Request(url, { headers: { Upgrade: "websocket", [ROUTING_AGENT_HEADER]: name, ...(signIn === null ? {} : { [SIGN_IN_HEADER]: signIn }) } }));
	})
	.post("/offers/:sessionId/accept", valid("param", SessionParam), valid("json", TeamQuery), async (c) => {
		const { sessionId } = c.req.valid("param");
		const { team } = c.req.valid("json");
		const name = c.get("agent").name;
		// The router does not know who was removed from a chat: the offer passes to the next agent.
		const refusal = await sessionOf(c.env, sessionId).refusalIfRemoved(agentActor(c.get("agent")).id);
		if (refusal) {
			await routerOf(c.env, team).decline(team, sessionId, name);
			return refused(c, refusal);
		}
		const answer = await routerOf(c.env, team).accept(team, sessionId, name);
		if (!answer.ok) return c.json({ error: answer.error }, 409);
		return agentJoins(c, sessionId);
	})
	.post("/offers/:sessionId/decline", valid("param", SessionParam), valid("json", TeamQuery), async (c) => {
		const { sessionId } = c.req.valid("param");
		const { team } = c.req.valid("json");
		await routerOf(c.env, team).decline(team, sessionId, c.get("agent").name);
		return c.json({ declined: true });
	});
