/**
 * Limits on guessing: wrong support keys, invite links and agent tokens are counted per address
 * (client-address.ts). Support keys and links are counted by the directory in the call that looks
 * the key up (join.ts); agent tokens are checked in the Worker, and a limiter object counts the
 * wrong ones.
 */
import type { Context } from "hono";
import { directoryShards, limiterOf } from "../bindings";
import { perShard } from "../directory/contract";
import type { Agent } from "../config";
import type { Guesser } from "../directory/contract";
import { addressBucket } from "../security/client-address";
import { secretsEqual } from "../security/random";
import type { AppEnv } from "./context";

const WRONG_GUESS_LIMIT = 10;
const WRONG_GUESS_WINDOW_MS = 15 * 60 * 1000;

/** The caller's address as limits count it: IPv4, or IPv6 by its /64. */
export function clientAddress(c: Context<AppEnv>): string {
	return addressBucket(c.req.header("CF-Connecting-IP"));
}

/** The caller as someone whose wrong tries count against the limit: each directory shard counts its share of it. */
export function guesser(c: Context<AppEnv>): Guesser {
	return { address: clientAddress(c), limit: perShard(WRONG_GUESS_LIMIT, directoryShards(c.env)), windowMs: WRONG_GUESS_WINDOW_MS };
}

export function tooMany(c: Context<AppEnv>, error: string, retryAfterMs: number): Response {
	return c.json({ error }, 429, { "Retry-After": String(Math.ceil(retryAfterMs / 1000)) });
}

async function agentForToken(agents: Agent[], token: string): Promise<Agent | null> {
	// Compare against every agent, so the time taken does not say which one matched.
	const matches = await Promise.all(agents.map((agent) => secretsEqual(agent.token, token)));
	return agents[matches.indexOf(true)] ?? null;
}

/**
 * The agent a token belongs to; null for a wrong one, or a 429 once the address has sent too many
 * wrong ones. A right token is let in whatever the address's count: anyone behind the same NAT
 * could otherwise lock the support team out by guessing wrong. So the count cannot stop a guess
 * from being checked; what makes guessing hopeless is the tokens' length (128 bits or more outside
 * development, config.ts). The count tells a guesser to stop and keeps each wrong guess to one
 * small write, and none once the address is over the limit.
 */
export async function checkAgentToken(c: Context<AppEnv>, token: string): Promise<Agent | Response | null> {
	const agent = await agentForToken(c.get("config").agents, token);
	if (agent) return agent;
	const decision = await limiterOf(c.env, `wrong-token:${clientAddress(c)}`).take(WRONG_GUESS_LIMIT, WRONG_GUESS_WINDOW_MS);
	return decision.allowed ? null : tooMany(c, "too many wrong tokens from this address: try again later", decision.retryAfterMs);
}
