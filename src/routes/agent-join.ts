/**
 * An agent joins a chat: picked from the queue (sessions.ts) or an accepted offer (routing.ts).
 * The same steps either way: the session admits them, the console sign-in remembers the chat,
 * and a routed chat's team router counts it as theirs.
 */
import type { Context } from "hono";
import { routerOf, sessionOf, signInsOf } from "../bindings";
import { REFUSALS } from "../shared/refusals";
import { joined } from "../security/join-answer";
import { agentActor } from "./auth";
import type { AppEnv } from "./context";

export async function agentJoins(c: Context<AppEnv>, sessionId: string): Promise<Response> {
	const agent = c.get("agent");
	const admission = await sessionOf(c.env, sessionId).admitAgent(agentActor(agent));
	if (!admission.ok) return c.json({ error: REFUSALS[admission.reason].error }, REFUSALS[admission.reason].status);
	const signIn = c.get("signIn");
	// A console sign-in remembers the chats it joined, so that signing out closes the agent's sockets there too.
	if (signIn !== null) await signInsOf(c.env, agent.name).joined(signIn, sessionId);
	if (admission.team !== undefined) await routerOf(c.env, admission.team).picked(admission.team, sessionId, agent.name);
	return c.json(await joined(c.get("config"), c.req.url, admission, signIn));
}
