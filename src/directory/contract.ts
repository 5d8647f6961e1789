/** What the Worker's routes and the sessions rely on of the case directory's RPC calls. */
import type { SessionStatus } from "../shared/protocol";

/** Someone trying a support key or link: wrong tries are counted per address, within a limit. */
export interface Guesser {
	address: string;
	limit: number;
	windowMs: number;
}

export type KeyLookup =
	| { outcome: "found"; sessionId: string; expired: boolean }
	| { outcome: "unknown" }
	| { outcome: "limited"; retryAfterMs: number };

export interface SessionChange {
	sessionId: string;
	caseId: string;
	status: SessionStatus;
	/** Whether the chat belongs in the agents' queue now. */
	queued: boolean;
	/** When the change happened: a report sent again says when, not when it was resent. */
	at: number;
	previousAgent: string | null;
	/** The session's last sequence number: reports can cross on the way, and an older one is ignored. */
	version: number;
}
