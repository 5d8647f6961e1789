/**
 * The console's sign-in: a signed value that names the agent and when it expires. The agent's
 * own token is exchanged for it once and never stored in the browser.
 */
import { z } from "zod";
import { signClaims, verifyClaims } from "./signed-token";

export const AGENT_SESSION_MS = 12 * 3600 * 1000;

/** `use` keeps a participant token, signed with the same key, from passing for a sign-in. */
const AgentSessionSchema = z.object({ use: z.literal("agent-session"), agent: z.string(), exp: z.number(), n: z.string() });

export function signAgentSession(secret: string, agent: string, now: number): Promise<string> {
	return signClaims(secret, { use: "agent-session", agent, exp: now + AGENT_SESSION_MS });
}

/** The agent's name from a genuine, unexpired sign-in; null for anything else. */
export async function verifyAgentSession(secret: string, value: string, now: number): Promise<string | null> {
	return (await verifyClaims(secret, value, AgentSessionSchema, now))?.agent ?? null;
}
