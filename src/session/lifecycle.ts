/**
 * Where a session stands, as pure functions of its record and who is in it: its status, whether it
 * belongs in the agents' queue, which deadline has passed, and which still wait. No runtime, no
 * storage: the session object and the tests call the same functions.
 */
import type { EndReason, SessionState, SessionStatus } from "../shared/protocol";
import { isFinished, statusAfterEnd } from "../shared/protocol";
import type { SessionRecord } from "./session-record";

/** Who is in the chat, as far as its status cares. */
export interface Presence {
	agentPresent: boolean;
	customerPresent: boolean;
}

export function isTerminal(record: SessionRecord): boolean {
	return isFinished(record.status);
}

/** The status a live session is in, given who is present; a finished one keeps its own. */
export function statusOf(record: SessionRecord, presence: Presence): SessionStatus {
	if (isTerminal(record)) return record.status;
	if (record.startedAt === null) return "pending";
	return presence.agentPresent ? "active" : "waiting";
}

/**
 * In the agents' queue: the customer is in the chat and no agent is. While the agent who left
 * waits for the customer to come back, the chat stays out of the queue.
 */
export function isQueued(record: SessionRecord, presence: Presence): boolean {
	return record.status === "waiting" && record.agentWaitEndsAt === null && presence.customerPresent;
}

/** The deadline that has passed, as the reason the chat ends; null if none has. Alarms can be late or early, so every use asks. */
export function dueEnd(record: SessionRecord, now: number): EndReason | null {
	if (isTerminal(record)) return null;
	if (record.status === "pending" && now >= record.keyExpiresAt) return "key_expired";
	if (record.chatEndsAt !== null && now >= record.chatEndsAt) return "time_limit";
	if (record.agentWaitEndsAt !== null && now >= record.agentWaitEndsAt) return "no_return";
	return null;
}

/** Whether any deadline of this record has passed (an end, or a transfer offer's expiry): if none has, a tick decides nothing. */
export function anythingDue(record: SessionRecord, now: number): boolean {
	return pendingDeadlines(record).some((at) => now >= at);
}

/** The deadlines that still matter for this record; the alarm is armed for the earliest of these and the outbox's next try. */
export function pendingDeadlines(record: SessionRecord): number[] {
	if (isTerminal(record)) return [];
	const deadlines: number[] = [];
	if (record.status === "pending") deadlines.push(record.keyExpiresAt);
	if (record.chatEndsAt !== null) deadlines.push(record.chatEndsAt);
	if (record.agentWaitEndsAt !== null) deadlines.push(record.agentWaitEndsAt);
	if (record.transfer !== null) deadlines.push(record.transfer.expiresAt);
	return deadlines;
}

/** The record once the chat has ended for `reason`. */
export function ended(record: SessionRecord, reason: EndReason, now: number): SessionRecord {
	return { ...record, status: statusAfterEnd(reason), endReason: reason, endedAt: now, agentWaitEndsAt: null };
}

/** The record once the end-user is first in: the 25-hour clock starts. */
export function started(record: SessionRecord, now: number): SessionRecord {
	return record.startedAt === null ? { ...record, startedAt: now, chatEndsAt: now + record.chatMaxMs } : record;
}

/**
 * The record once the last agent has left: the chat waits for the customer, within the 25 hours.
 * `agentName`: whom the customer is routed back to; null for an agent who was removed.
 */
export function agentAway(record: SessionRecord, agentName: string | null, now: number): SessionRecord {
	const waitUntil = Math.min(now + record.disconnectWaitMs, record.chatEndsAt ?? Number.POSITIVE_INFINITY);
	return { ...record, agentWaitEndsAt: waitUntil, previousAgent: agentName };
}

/** The deadlines clients show; they change with the status, so presence frames carry them too. */
export function visibleDeadlines(record: SessionRecord): SessionState["deadlines"] {
	return {
		keyExpiresAt: record.status === "pending" ? record.keyExpiresAt : null,
		chatEndsAt: isTerminal(record) ? null : record.chatEndsAt,
		agentWaitEndsAt: record.agentWaitEndsAt,
	};
}

/** What the session's `state` frame and its `describe` call say of it. */
export function stateOf(record: SessionRecord, participants: SessionState["participants"], lastSeq: number): SessionState {
	return {
		sessionId: record.sessionId,
		case: { caseId: record.caseId, subject: record.subject, severity: record.severity },
		status: record.status,
		participants,
		lastSeq,
		deadlines: visibleDeadlines(record),
		endReason: record.endReason,
		previousAgent: record.previousAgent,
		recording: record.recording,
	};
}
