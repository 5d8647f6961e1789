/**
 * Agent authentication: `Authorization: Bearer <token>` against the configured agent tokens, or
 * the console's session cookie (agent-cookie.ts). A wrong or missing one gets 401 and nothing else.
 * Wrong Bearer tokens count against the address's limit together with wrong sign-ins (guesses.ts),
 * or the sign-in's limit could be walked around; the cookie is signed and cannot be guessed.
 */
import { createMiddleware } from "hono/factory";
import type { Agent } from "../config";
import type { Actor } from "../shared/protocol";
import { agentFromCookie } from "./agent-cookie";
import type { AppEnv } from "./context";
import { checkAgentToken } from "./guesses";
import { bearerToken } from "../http/bearer";

/** How an agent appears in a session's events. */
export function agentActor(agent: Agent): Actor {
	return { id: `agent:${agent.name}`, role: "agent", name: agent.name };
}

export const requireAgent = createMiddleware<AppEnv>(async (c, next) => {
	const token = bearerToken(c.req.header("Authorization"));
	const found = token ? await checkAgentToken(c, token) : await agentFromCookie(c);
	if (found instanceof Response) return found;
	if (!found) return c.json({ error: "sign in with an agent token" }, 401, { "WWW-Authenticate": 'Bearer realm="agents"' });
	c.set("agent", "signIn" in found ? found.agent : found);
	c.set("signIn", "signIn" in found ? found.signIn : null);
	await next();
});
