/**
 * Agent authentication: `Authorization: Bearer <token>` against the configured agent tokens, or
 * the console's session cookie (agent-cookie.ts). A wrong or missing one gets 401 and nothing else.
 * Wrong Bearer tokens count against the address's limit together with wrong sign-ins, or the
 * sign-in's limit could be walked around; the cookie is signed and cannot be guessed.
 */
import { createMiddleware } from "hono/factory";
import type { Agent } from "../config";
import type { Actor } from "../shared/protocol";
import { secretsEqual } from "../security/random";
import { agentFromCookie } from "./agent-cookie";
import type { AppEnv } from "./context";
import { limitGuesses } from "./guesses";

export async function agentForToken(agents: Agent[], token: string): Promise<Agent | null> {
	// Compare against every agent, so the time taken does not say which one matched.
	const matches = await Promise.all(agents.map((agent) => secretsEqual(agent.token, token)));
	return agents[matches.indexOf(true)] ?? null;
}

/** How an agent appears in a session's events. */
export function agentActor(agent: Agent): Actor {
	return { id: `agent:${agent.name}`, role: "agent", name: agent.name };
}

export const requireAgent = createMiddleware<AppEnv>(async (c, next) => {
	const header = c.req.header("Authorization") ?? "";
	const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
	const agent = token
		? await limitGuesses(c, "token", async () => {
				const found = await agentForToken(c.get("config").agents, token);
				return { result: found, wrong: found === null };
			})
		: await agentFromCookie(c);
	if (agent instanceof Response) return agent;
	if (!agent) return c.json({ error: "sign in with an agent token" }, 401, { "WWW-Authenticate": 'Bearer realm="agents"' });
	c.set("agent", agent);
	await next();
});
