/** The policy as a table: every role and action in every situation, every role and event type. */
import { describe, expect, it } from "vitest";
import type { EventBody, Role, SessionEvent } from "../../src/shared/protocol";
import { ROLES } from "../../src/shared/protocol";
import type { Action } from "../../src/session/policy";
import { ACTIONS, TRANSFER_ACTIONS, endReasonFor, permit, sideOf, viewOf } from "../../src/session/policy";

type Outcome = "allowed" | "forbidden" | "session_ended";
const situations = ["present", "absent", "finished"] as const;

/** What each role may do: while in the chat, from outside it, and once it has finished. */
const EXPECTED: Record<Role, Record<Exclude<Action, (typeof TRANSFER_ACTIONS)[number]>, Record<(typeof situations)[number], Outcome>>> = {
	agent: {
		message: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		typing: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		read: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		leave: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		end: { present: "allowed", absent: "allowed", finished: "session_ended" },
		resolve: { present: "allowed", absent: "allowed", finished: "session_ended" },
		note: { present: "allowed", absent: "allowed", finished: "session_ended" },
		invite: { present: "allowed", absent: "allowed", finished: "session_ended" },
		watch: { present: "allowed", absent: "forbidden", finished: "allowed" },
		send_file: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		// The correspondence stays readable by agents after the chat, from the console's transcript.
		open_file: { present: "allowed", absent: "allowed", finished: "allowed" },
	},
	customer: {
		message: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		typing: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		read: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		leave: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		end: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		resolve: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		note: { present: "forbidden", absent: "forbidden", finished: "forbidden" },
		invite: { present: "forbidden", absent: "forbidden", finished: "forbidden" },
		watch: { present: "allowed", absent: "forbidden", finished: "allowed" },
		send_file: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		open_file: { present: "allowed", absent: "forbidden", finished: "allowed" },
	},
};

/** Handing a chat over is the support side's: offered from inside the chat, answered from the console. */
const TRANSFERS: Record<Role, Record<(typeof TRANSFER_ACTIONS)[number], Record<(typeof situations)[number], Outcome>>> = {
	agent: {
		transfer: { present: "allowed", absent: "forbidden", finished: "session_ended" },
		answer_transfer: { present: "allowed", absent: "allowed", finished: "session_ended" },
	},
	customer: {
		transfer: { present: "forbidden", absent: "forbidden", finished: "forbidden" },
		answer_transfer: { present: "forbidden", absent: "forbidden", finished: "forbidden" },
	},
};

describe("who may hand a chat over", () => {
	const rows = ROLES.flatMap((role) => TRANSFER_ACTIONS.flatMap((action) => situations.map((situation) => ({ role, action, situation, expected: TRANSFERS[role][action][situation] }))));

	it.each(rows)("$role $action when $situation: $expected", ({ role, action, situation, expected }) => {
		const verdict = permit(role, action, { present: situation === "present", finished: situation === "finished" });
		expect(verdict.ok ? "allowed" : verdict.code).toBe(expected);
	});
});

describe("who may do what", () => {
	const rows = ROLES.flatMap((role) => ACTIONS.flatMap((action) => situations.map((situation) => ({ role, action, situation, expected: EXPECTED[role][action][situation] }))));

	it("covers every role, action and situation", () => {
		expect(rows).toHaveLength(ROLES.length * ACTIONS.length * situations.length);
	});

	it.each(rows)("$role $action when $situation: $expected", ({ role, action, situation, expected }) => {
		const verdict = permit(role, action, { present: situation === "present", finished: situation === "finished" });
		expect(verdict.ok ? "allowed" : verdict.code).toBe(expected);
		if (!verdict.ok) expect(verdict.message.length).toBeGreaterThan(0);
	});

	it("names the end by who asks for it", () => {
		expect(endReasonFor("agent", "end")).toBe("ended_by_agent");
		expect(endReasonFor("customer", "end")).toBe("ended_by_customer");
		expect(endReasonFor("customer", "resolve")).toBe("resolved");
		expect(endReasonFor("agent", "resolve")).toBe("resolved");
	});
});

/** One event of every type, and what the customer side must not see of it. */
const EVENTS: Record<EventBody["type"], { body: EventBody; hiddenFromCustomers: Partial<Record<string, unknown>> }> = {
	message: { body: { type: "message", clientId: "m1", text: "hello" }, hiddenFromCustomers: {} },
	joined: { body: { type: "joined" }, hiddenFromCustomers: {} },
	left: { body: { type: "left" }, hiddenFromCustomers: {} },
	case_resolved: { body: { type: "case_resolved" }, hiddenFromCustomers: {} },
	chat_ended: { body: { type: "chat_ended", reason: "ended_by_agent" }, hiddenFromCustomers: {} },
	agent_away: { body: { type: "agent_away", waitUntil: 5 }, hiddenFromCustomers: {} },
	customer_returned: { body: { type: "customer_returned" }, hiddenFromCustomers: {} },
	invite_sent: { body: { type: "invite_sent", channel: "sms", to: "+49•••678", ok: false, detail: "provider said no" }, hiddenFromCustomers: { to: "", detail: "" } },
	file: {
		body: { type: "file", fileId: "f1", name: "a.png", size: 10, contentType: "image/png", key: "attachments/case-1/s/f1", preview: true, checking: false },
		hiddenFromCustomers: {},
	},
	file_released: { body: { type: "file_released", fileId: "f1", scanned: true }, hiddenFromCustomers: {} },
	file_blocked: { body: { type: "file_blocked", fileId: "f1", reason: "infected" }, hiddenFromCustomers: {} },
	// Whom the chat is being offered to is the desk's business; whom it was handed to, everyone's.
	transfer_offered: { body: { type: "transfer_offered", to: { id: "agent:colleague", name: "colleague" }, expiresAt: 5 }, hiddenFromCustomers: { to: { id: "", name: "" } } },
	transfer_withdrawn: { body: { type: "transfer_withdrawn", to: { id: "agent:colleague", name: "colleague" }, reason: "declined" }, hiddenFromCustomers: { to: { id: "", name: "" } } },
	transferred: { body: { type: "transferred", from: { id: "agent:dev-agent", name: "dev-agent" }, to: { id: "agent:colleague", name: "colleague" } }, hiddenFromCustomers: {} },
};

describe("who sees what of each event", () => {
	const rows = ROLES.flatMap((role) => Object.entries(EVENTS).map(([type, { body, hiddenFromCustomers }]) => ({ role, type, body, hiddenFromCustomers })));

	it.each(rows)("$role sees $type", ({ role, body, hiddenFromCustomers }) => {
		const event: SessionEvent = { seq: 1, at: 0, actor: null, ...body };
		const seen = viewOf(sideOf(role), event);
		expect(seen).toEqual(role === "agent" ? event : { ...event, ...hiddenFromCustomers });
	});
});
