/** Where the Worker and the objects find each Durable Object. */
import type { CaseDirectory } from "./directory/case-directory";
import type { AgentSignIns } from "./security/agent-sign-ins";
import type { RateLimiter } from "./limits/rate-limiter";
import type { ChatSession } from "./session/chat-session";

/** One directory per deployment; see case-directory.ts for how it would shard. */
export function directoryOf(env: Env): DurableObjectStub<CaseDirectory> {
	return env.DIRECTORY.get(env.DIRECTORY.idFromName("global"));
}

export function sessionOf(env: Env, sessionId: string): DurableObjectStub<ChatSession> {
	return env.SESSIONS.get(env.SESSIONS.idFromName(sessionId));
}

export function limiterOf(env: Env, bucket: string): DurableObjectStub<RateLimiter> {
	return env.LIMITER.get(env.LIMITER.idFromName(bucket));
}

/** One object per agent: the agent's console sign-ins. */
export function signInsOf(env: Env, agentName: string): DurableObjectStub<AgentSignIns> {
	return env.AGENT_SIGN_INS.get(env.AGENT_SIGN_INS.idFromName(agentName));
}
