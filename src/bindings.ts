/** Where the Worker and the objects find each Durable Object; the stubs are typed by `Env` (wrangler types). */
import { readConfig } from "./config";
import type { Shard } from "./directory/shards";
import { caseDigits, shardOfDigits } from "./directory/shards";

/** The directory's shards, and its queue object (src/directory/shards.ts says what each holds). */
function directoryNamed(env: Env, name: string) {
	return env.DIRECTORY.get(env.DIRECTORY.idFromName(name));
}

/** A single shard keeps the name the one directory always had, so its data stays where it was. */
function shardName(index: number, count: number): string {
	return count === 1 ? "global" : `shard-${index}`;
}

/** The shard that holds a case and its sessions, and which shard that is. */
export function caseShardOf(env: Env, caseId: string) {
	const count = directoryShards(env);
	const shard: Shard = { index: shardOfDigits(caseDigits(caseId), count), count };
	return { directory: directoryNamed(env, shardName(shard.index, count)), shard };
}

export function caseDirectoryOf(env: Env, caseId: string) {
	return caseShardOf(env, caseId).directory;
}

/** The shard a support key leads to: the one that holds its session's case. */
export function keyDirectoryOf(env: Env, supportKey: string) {
	const count = directoryShards(env);
	return directoryNamed(env, shardName(shardOfDigits(supportKey, count), count));
}

/** A shard for a new case, chosen at random so that cases spread evenly. */
export function newCaseDirectory(env: Env) {
	const count = directoryShards(env);
	const [random = 0] = crypto.getRandomValues(new Uint32Array(1));
	const shard: Shard = { index: random % count, count };
	return { directory: directoryNamed(env, shardName(shard.index, count)), shard };
}

/** Where wrong invite links are counted: a wrong link names no key, so the first shard counts them. */
export function linkGuessDirectoryOf(env: Env) {
	return directoryNamed(env, shardName(0, directoryShards(env)));
}

/** Every shard, for what spans all cases (the case list). */
export function everyCaseDirectory(env: Env) {
	const count = directoryShards(env);
	return Array.from({ length: count }, (_, index) => directoryNamed(env, shardName(index, count)));
}

/** The queue of waiting chats and the consoles that watch it; with one shard, that shard. */
export function queueDirectoryOf(env: Env) {
	return directoryNamed(env, directoryShards(env) === 1 ? "global" : "queue");
}

/** How many shards the directory has: a limit each shard counts is its share of the deployment's. */
export function directoryShards(env: Env): number {
	return readConfig(env).directoryShards;
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
