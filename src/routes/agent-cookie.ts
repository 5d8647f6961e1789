/**
 * The console's session cookie. HttpOnly (page scripts cannot read it), Secure, SameSite=Strict
 * (other sites cannot make the browser send it) and host-only through the __Host- prefix. It names
 * one of the agent's sign-ins (agent-sign-ins.ts), so signing out revokes it for good, not only in
 * this browser. A request that changes something must also come from an allowed Origin and not be
 * `Sec-Fetch-Site: cross-site`, which covers what SameSite does not: sibling subdomains count as
 * the same site.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { queueDirectoryOf, routerOf, sessionOf, signInsOf } from "../bindings";
import type { Agent } from "../config";
import { AGENT_SESSION_MS, signAgentSession, verifyAgentSession } from "../security/agent-session";
import { teamsOfAgent } from "../routing/routing-config";
import type { AppEnv } from "./context";
import { originAllowed } from "./links";

const COOKIE = "agent_session";
const OPTIONS = { prefix: "host", path: "/", secure: true, httpOnly: true, sameSite: "Strict" } as const;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface SignedInAgent {
	agent: Agent;
	signIn: string;
}

export async function setAgentCookie(c: Context<AppEnv>, agent: Agent): Promise<void> {
	const now = Date.now();
	const expiresAt = now + AGENT_SESSION_MS;
	const signIn = await signInsOf(c.env, agent.name).open(expiresAt, now);
	const value = await signAgentSession(c.get("config").keys.agentSessions, { agent: agent.name, signIn }, expiresAt);
	setCookie(c, COOKIE, value, { ...OPTIONS, maxAge: AGENT_SESSION_MS / 1000 });
}

export function clearAgentCookie(c: Context<AppEnv>): void {
	deleteCookie(c, COOKIE, OPTIONS);
}

/** The agent and sign-in a genuine cookie names, for an agent still configured; not yet checked for being open. */
export async function cookieSignIn(c: Context<AppEnv>): Promise<SignedInAgent | null> {
	const value = getCookie(c, COOKIE, "host");
	if (!value) return null;
	const config = c.get("config");
	const session = await verifyAgentSession(config.keys.agentSessions, value, Date.now());
	const agent = config.agents.find((a) => a.name === session?.agent);
	return session && agent ? { agent, signIn: session.signIn } : null;
}

/** The signed-in agent: a genuine cookie naming an open sign-in, and for a change, sent from an allowed origin. */
export async function agentFromCookie(c: Context<AppEnv>): Promise<SignedInAgent | null> {
	if (!SAFE_METHODS.has(c.req.method)) {
		const origin = c.req.header("Origin");
		if (origin === undefined || !originAllowed(origin, c.req.url, c.get("config"))) return null;
		if (c.req.header("Sec-Fetch-Site") === "cross-site") return null;
	}
	const found = await cookieSignIn(c);
	if (!found) return null;
	return (await signInsOf(c.env, found.agent.name).isOpen(found.signIn, Date.now())) ? found : null;
}

/**
 * Signs out one sign-in of the agent's, or (`signIn` null) all of them, and closes the console and
 * chat sockets they opened; their chat tokens are refused from then on (sessions.ts).
 */
export async function closeSignIns(c: Context<AppEnv>, agentName: string, signIn: string | null): Promise<void> {
	const { signIns, chats } = await signInsOf(c.env, agentName).close(signIn);
	if (signIns.length > 0) await queueDirectoryOf(c.env).closeSignedOut(signIns);
	if (signIns.length > 0) await Promise.all(teamsOfAgent(c.get("config").routing, agentName).map((t) => routerOf(c.env, t.id).closeSignedOut(signIns)));
	await Promise.all(chats.map(({ signIn: id, sessionId }) => sessionOf(c.env, sessionId).closeSignedOut(id)));
}
