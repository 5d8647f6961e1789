/** Where the Worker and the objects find each Durable Object; the stubs are typed by `Env` (wrangler types). */

/** One directory per deployment; see case-directory.ts for how it would shard. */
export function directoryOf(env: Env) {
	return env.DIRECTORY.get(env.DIRECTORY.idFromName("global"));
}

export function sessionOf(env: Env, sessionId: string) {
	return env.SESSIONS.get(env.SESSIONS.idFromName(sessionId));
}

export function limiterOf(env: Env, bucket: string) {
	return env.LIMITER.get(env.LIMITER.idFromName(bucket));
}

/** One object per agent: the agent's console sign-ins. */
export function signInsOf(env: Env, agentName: string) {
	return env.AGENT_SIGN_INS.get(env.AGENT_SIGN_INS.idFromName(agentName));
}

/** One routing object per team (src/routing/team-router.ts). */
export function routerOf(env: Env, team: string) {
	return env.ROUTERS.get(env.ROUTERS.idFromName(team));
}
