/** What the Worker's routes and the sessions rely on of the case directory's RPC calls. */
import { z } from "zod";
import type { SessionStatus, Severity } from "../shared/protocol";
import { SEVERITIES } from "../shared/protocol";

/** Someone trying a support key or link: wrong tries are counted per address, within a limit. */
export interface Guesser {
	address: string;
	limit: number;
	windowMs: number;
}

/**
 * The deployment's budget of wrong support keys a minute, over every address; past it a key is
 * looked up only for someone who solved a challenge (`challengePassed`).
 */
export interface KeyBudget {
	perMinute: number;
	challengePassed: boolean;
}

/** `challenge`: the budget is spent and the key was not looked at; the answer says nothing about it. */
export type KeyLookup =
	| { outcome: "found"; sessionId: string; expired: boolean }
	| { outcome: "unknown" }
	| { outcome: "limited"; retryAfterMs: number }
	| { outcome: "challenge" };

export interface SessionChange {
	sessionId: string;
	caseId: string;
	status: SessionStatus;
	/** Whether the chat belongs in the agents' queue now. */
	queued: boolean;
	/** When the change happened: a report sent again says when, not when it was resent. */
	at: number;
	previousAgent: string | null;
	/** The case as the queue shows it. */
	subject: string;
	severity: Severity;
	/** The session's last sequence number: reports can cross on the way, and an older one is ignored. */
	version: number;
}

/** Which of its parts a directory object keeps a status change in: a shard the case's, the queue object the queue; with one shard, both. */
export interface ChangeKeepers {
	cases: boolean;
	queue: boolean;
}

/** How the shards share the deployment's limits, for the routes that hand them out (shards.ts). */
export { perShard } from "./shards";

/**
 * A session's transfer offer as it now stands, for the target agent's console: `offer` null once
 * it was answered, withdrawn or expired. `to` is the target's participant id (`agent:<name>`).
 * Reports can cross on the way: `version` is the session's last sequence number.
 */
export const TransferReportSchema = z.object({
	sessionId: z.string(),
	caseId: z.string(),
	version: z.number(),
	offer: z
		.object({ subject: z.string(), severity: z.enum(SEVERITIES), customerName: z.string(), from: z.string(), to: z.string(), offeredAt: z.number(), expiresAt: z.number() })
		.nullable(),
});
export type TransferReport = z.infer<typeof TransferReportSchema>;

/** The header that hands the directory a console socket's agent (their participant id), for the chats offered to them. */
export const AGENT_HEADER = "X-Agent";
