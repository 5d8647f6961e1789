/**
 * Where a session's status reports go: the case directory always (with one shard one object keeps
 * the case and the queue; otherwise the case's shard and the queue object each keep their part),
 * and for a customer-started chat its team's router too. Each keeps the newest report by version,
 * so the outbox may send one again.
 */
import { caseDirectoryOf, directoryShards, queueDirectoryOf, routerOf } from "../bindings";
import type { SessionChange } from "../directory/contract";
import type { SessionRouting } from "./contract";

export async function reportChange(env: Env, routing: SessionRouting | undefined, change: SessionChange): Promise<void> {
	if (directoryShards(env) === 1) await caseDirectoryOf(env, change.caseId).sessionChanged(change);
	else await Promise.all([caseDirectoryOf(env, change.caseId).sessionChanged(change, { cases: true, queue: false }), queueDirectoryOf(env).sessionChanged(change, { cases: false, queue: true })]);
	if (routing) await routerOf(env, routing.team).sessionChanged(change);
}
