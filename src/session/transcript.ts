/**
 * The transcript of an ended session in R2. It is built only from what the log and the record
 * hold, both frozen once the session has ended, so writing it again yields the same bytes. It is
 * the agents' view of the log: every revision of a message is in it.
 */
import type { SessionRecord } from "./session-record";
import type { Member } from "./roster";
import { isWithheldJson } from "./event-log";

export function buildTranscript(record: SessionRecord, members: Member[], eventsJson: string[]): string {
	const head = {
		format: 1,
		sessionId: record.sessionId,
		case: { caseId: record.caseId, subject: record.subject, severity: record.severity },
		status: record.status,
		endReason: record.endReason,
		createdAt: record.createdAt,
		createdBy: record.createdBy,
		startedAt: record.startedAt,
		endedAt: record.endedAt,
		participants: members.map(({ id, role, name, joinedAt }) => ({ id, role, name, joinedAt })),
	};
	// What strict recording kept from the agents stays out of the correspondence, its place included.
	return `${JSON.stringify(head).slice(0, -1)},"events":[${eventsJson.filter((json) => !isWithheldJson(json)).join(",")}]}`;
}
