/** A session as `open` creates it, at a fixed time, for tests that run without a runtime. */
import type { SessionRecord } from "../../src/session/session-record";
import { newRecord } from "../../src/session/session-record";

export const HOUR = 3_600_000;
export const T0 = 1_800_000_000_000;

/** Created at T0: the key good for an hour, the chat for 25, a 12-hour wait for a customer to come back. */
export function freshRecord(): SessionRecord {
	return newRecord({
		sessionId: "s",
		caseId: "case-0000000001",
		subject: "Printer on fire",
		severity: "high",
		customerName: "Dana",
		createdBy: "dev-agent",
		createdAt: T0,
		inviteSecret: "x",
		supportKey: "123456789",
		keyExpiresAt: T0 + HOUR,
		chatMaxMs: 25 * HOUR,
		disconnectWaitMs: 12 * HOUR,
	});
}
