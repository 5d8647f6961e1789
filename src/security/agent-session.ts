/**
 * The console's session cookie: a signed value naming the agent and one of the agent's sign-ins
 * (agent-sign-ins.ts), which is what signing out revokes. The agent's own token is exchanged for
 * it once and never stored in the browser.
 */
import { z } from "zod";
import type { KeyList } from "../config";
import { signClaims, verifyClaims } from "./signed-token";

export const AGENT_SESSION_MS = 12 * 3600 * 1000;

/** `use` keeps any other signed value from passing for a sign-in. */
const AgentSessionSchema = z.object({ use: z.literal("agent-session"), agent: z.string(), signIn: z.string(), exp: z.number(), n: z.string() });
export type AgentSession = Pick<z.infer<typeof AgentSessionSchema>, "agent" | "signIn">;

export function signAgentSession(keys: KeyList, session: AgentSession, expiresAt: number): Promise<string> {
	return signClaims(keys, { use: "agent-session", ...session, exp: expiresAt });
}

/** The agent and sign-in a genuine, unexpired cookie names; null for anything else. Whether the sign-in is still open is the agent's sign-ins' to say. */
export async function verifyAgentSession(keys: KeyList, value: string, now: number): Promise<AgentSession | null> {
	const claims = await verifyClaims(keys, value, AgentSessionSchema, now);
	return claims ? { agent: claims.agent, signIn: claims.signIn } : null;
}
