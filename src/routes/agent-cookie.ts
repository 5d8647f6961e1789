/**
 * The console's session cookie. HttpOnly (page scripts cannot read it), Secure, SameSite=Strict
 * (other sites cannot make the browser send it) and host-only through the __Host- prefix. A
 * request that changes something must also come from an allowed Origin, which covers what
 * SameSite does not: sibling subdomains count as the same site.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Agent } from "../config";
import { AGENT_SESSION_MS, signAgentSession, verifyAgentSession } from "../security/agent-session";
import type { AppEnv } from "./context";
import { originAllowed } from "./links";

const COOKIE = "agent_session";
const OPTIONS = { prefix: "host", path: "/", secure: true, httpOnly: true, sameSite: "Strict" } as const;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export async function setAgentCookie(c: Context<AppEnv>, agent: Agent): Promise<void> {
	const value = await signAgentSession(c.get("config").signingKey, agent.name, Date.now());
	setCookie(c, COOKIE, value, { ...OPTIONS, maxAge: AGENT_SESSION_MS / 1000 });
}

export function clearAgentCookie(c: Context<AppEnv>): void {
	deleteCookie(c, COOKIE, OPTIONS);
}

/** The signed-in agent: a genuine, unexpired cookie for an agent still configured, sent from an allowed origin. */
export async function agentFromCookie(c: Context<AppEnv>): Promise<Agent | null> {
	const value = getCookie(c, COOKIE, "host");
	if (!value) return null;
	const config = c.get("config");
	if (!SAFE_METHODS.has(c.req.method)) {
		const origin = c.req.header("Origin");
		if (origin === undefined || !originAllowed(origin, c.req.url, config)) return null;
	}
	const name = await verifyAgentSession(config.signingKey, value, Date.now());
	return config.agents.find((agent) => agent.name === name) ?? null;
}
