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
