/**
 * Where a session's status reports go: the case directory always, and for a customer-started chat
 * its team's router too. Both keep the newest report by version, so the outbox may send one again.
 */
import { directoryOf, routerOf } from "../bindings";
import type { SessionChange } from "../directory/contract";
import type { SessionRouting } from "./contract";

export async function reportChange(env: Env, routing: SessionRouting | undefined, change: SessionChange): Promise<void> {
	await directoryOf(env).sessionChanged(change);
	if (routing) await routerOf(env, routing.team).sessionChanged(change);
}
