/** A session as its case's history lists it: when it ran, how it ended, who was in it and how much was said. */
import type { SessionSummary } from "./contract";
import type { EventLog } from "./event-log";
import { isAgentSide } from "./policy";
import type { Member } from "./roster";
import type { SessionRecord } from "./session-record";

export function summaryOf(record: SessionRecord, members: Member[], log: EventLog): SessionSummary {
	const agents = members.filter((m) => isAgentSide(m.role)).sort((a, b) => a.joinedAt - b.joinedAt);
	return {
		sessionId: record.sessionId,
		status: record.status,
		endReason: record.endReason,
		createdAt: record.createdAt,
		startedAt: record.startedAt,
		endedAt: record.endedAt,
		agents: agents.map((m) => m.name),
		messages: log.messageCount(),
	};
}
