/** Deciding commands, without a runtime: what each asks for, given the session as it stands. */
import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/shared/protocol";
import type { SessionView } from "../../src/session/decision";
import { decide } from "../../src/session/commands";
import type { MemberFacts } from "../../src/session/contract";
import { CUSTOMER_ID } from "../../src/session/contract";
import { HOUR, T0, freshRecord } from "./fresh-record";
import { started } from "../../src/session/lifecycle";

const customer: Actor = { id: CUSTOMER_ID, role: "customer", name: "Dana" };
const agent: Actor = { id: "agent:dev-agent", role: "agent", name: "dev-agent" };

function view(members: Record<string, MemberFacts> = {}, overrides: Partial<SessionView["record"]> = {}): SessionView {
	const record = freshRecord();
	return { record: { ...record, ...overrides }, members: new Map(Object.entries(members)), lastSeq: 0 };
}

const inChat = (role: Actor["role"]): MemberFacts => ({ role, present: true, lastReadSeq: 0 });

describe("decide", () => {
	it("lets the customer in by key once: the chat starts, is reported, and the key then says used", () => {
		const first = decide(view(), customer, { type: "admit_customer", via: "key", deviceId: "d1", link: null }, T0 + 5);
		expect(first.refusal).toBeNull();
		expect(first.record).toMatchObject({ status: "waiting", startedAt: T0 + 5, chatEndsAt: T0 + 5 + 25 * HOUR });
		expect(first.events.map((e) => e.body.type)).toEqual(["joined"]);
		expect([...first.effects]).toEqual(["report"]);
		expect(first.devices).toEqual([{ id: "d1", participantId: CUSTOMER_ID, via: "key" }]);
		const again = decide({ ...view({ [CUSTOMER_ID]: inChat("customer") }), record: first.record }, customer, { type: "admit_customer", via: "key", deviceId: "d1", link: null }, T0 + 6);
		expect(again.refusal).toBe("used");
	});

	it("applies a deadline that has passed before the command: a late key is expired, not admitted", () => {
		const late = decide(view(), customer, { type: "admit_customer", via: "link", deviceId: "d2", link: "current" }, T0 + HOUR);
		expect(late.refusal).toBe("expired");
		expect(late.events.map((e) => e.body.type)).toEqual(["chat_ended"]);
		expect(late.effects).toEqual(new Set(["transcript", "report"]));
	});

	it("ends a chat once, closing every socket, with the transcript and the report in the outbox", () => {
		const live = view({ [CUSTOMER_ID]: inChat("customer"), [agent.id]: inChat("agent") }, { ...started(view().record, T0), status: "active" });
		const resolved = decide(live, customer, { type: "end", reason: "resolved", cascade: true }, T0 + 1);
		expect(resolved.events.map((e) => e.body.type)).toEqual(["case_resolved", "chat_ended"]);
		expect(resolved.effects).toEqual(new Set(["transcript", "resolve_case", "report"]));
		expect(resolved.close).toEqual([{ participantId: null, code: 1000, reason: "chat ended" }]);
		const twice = decide({ ...live, record: resolved.record }, agent, { type: "end", reason: "ended_by_agent", cascade: false }, T0 + 2);
		expect(twice.events).toEqual([]);
		expect(twice.effects.size).toBe(0);
		expect(twice.error?.code).toBe("session_ended");
	});

	it("ends a session resolved with its case by the system, without resolving the case's sessions again", async () => {
		const live = view({ [CUSTOMER_ID]: inChat("customer") }, { ...started(view().record, T0), status: "waiting" });
		const withCase = decide(live, null, { type: "end", reason: "resolved", cascade: false }, T0 + 1);
		expect(withCase.record.status).toBe("resolved");
		expect(withCase.events.map((e) => [e.body.type, e.actor])).toEqual([
			["case_resolved", null],
			["chat_ended", null],
		]);
		expect(withCase.effects).toEqual(new Set(["transcript", "report"]));
	});

	it("acknowledges a resend without storing it or bringing the customer back", () => {
		const away = view({ [CUSTOMER_ID]: inChat("customer") }, { ...started(view().record, T0), status: "waiting", agentWaitEndsAt: T0 + HOUR });
		const resend = decide(away, customer, { type: "message", clientId: "m1", text: "hi", rateOk: true, resendOf: 4 }, T0 + 1);
		expect(resend.repeatOf).toBe(4);
		expect(resend.events).toEqual([]);
		const back = decide(away, customer, { type: "message", clientId: "m2", text: "Hey, I'm back", rateOk: true, resendOf: null }, T0 + 1);
		expect(back.events.map((e) => e.body.type)).toEqual(["customer_returned", "message"]);
		expect(back.record.agentWaitEndsAt).toBeNull();
		expect(back.effects).toEqual(new Set(["report"]));
	});

	it("refuses a message from someone who left, and a flood, telling only the sender", () => {
		const live = view({ [CUSTOMER_ID]: { role: "customer", present: false, lastReadSeq: 0 } }, { ...started(view().record, T0), status: "waiting" });
		expect(decide(live, customer, { type: "message", clientId: "m", text: "x", rateOk: true, resendOf: null }, T0).error?.code).toBe("forbidden");
		const present = view({ [CUSTOMER_ID]: inChat("customer") }, { ...started(view().record, T0), status: "waiting" });
		expect(decide(present, customer, { type: "message", clientId: "m", text: "x", rateOk: false, resendOf: null }, T0).error).toEqual({
			code: "rate_limited",
			message: "too many messages: slow down a little",
			clientId: "m",
		});
	});

	it("starts the disconnect wait when the last agent leaves, out of the queue", () => {
		const live = view({ [CUSTOMER_ID]: inChat("customer"), [agent.id]: inChat("agent") }, { ...started(view().record, T0), status: "active" });
		const left = decide(live, agent, { type: "leave" }, T0 + HOUR);
		expect(left.events.map((e) => e.body.type)).toEqual(["left", "agent_away"]);
		expect(left.record).toMatchObject({ status: "waiting", agentWaitEndsAt: T0 + 13 * HOUR, previousAgent: "dev-agent" });
		expect(left.close).toEqual([{ participantId: agent.id, code: 1000, reason: "left the chat" }]);
		// Whatever the agent came in on stops working: coming back is a new admission.
		expect(left.revokeDevicesOf).toEqual([agent.id]);
		expect(left.effects).toEqual(new Set(["report"]));
	});

	it("retires only a key nobody has used", () => {
		expect(decide(view(), null, { type: "retire" }, T0).record).toMatchObject({ status: "expired", endReason: "key_replaced" });
		const live = view({ [CUSTOMER_ID]: inChat("customer") }, { ...started(view().record, T0), status: "waiting" });
		expect(decide(live, null, { type: "retire" }, T0).events).toEqual([]);
	});
});

describe("deciding files", () => {
	const body = { type: "file", fileId: "f1", name: "a.png", size: 10, contentType: "image/png", key: "attachments/case-0000000001/s/f1", preview: true, checking: false } as const;
	// The customer waits in a chat that has begun: nothing about a file changes its status.
	const live = () => ({ ...view({ [CUSTOMER_ID]: inChat("customer") }), record: { ...started(view().record, T0), status: "waiting" as const } });

	it("posts a complete file from someone in the chat, and has it scanned when it is to be checked", () => {
		expect(decide(live(), customer, { type: "file", body }, T0 + 1).events.map((e) => e.body)).toEqual([body]);
		expect([...decide(live(), customer, { type: "file", body: { ...body, checking: true } }, T0 + 1).effects]).toEqual([{ kind: "scan_file", fileId: "f1" }]);
	});

	it("refuses a file from someone who left, or once the chat has ended", () => {
		const left = decide({ ...live(), members: new Map() }, customer, { type: "file", body }, T0 + 1);
		expect(left.error?.code).toBe("forbidden");
		expect(left.events).toEqual([]);
		const over = decide(live(), customer, { type: "file", body }, T0 + 26 * HOUR);
		expect(over.error?.code).toBe("session_ended");
		expect(over.events.map((e) => e.body.type)).toEqual(["chat_ended"]);
	});

	it("releases a file the scanner did not answer for when the deployment says so, keeping it", () => {
		const released = decide(live(), null, { type: "file_verdict", fileId: "f1", release: true, scanned: false, key: body.key }, T0 + 1);
		expect(released.events.map((e) => e.body)).toEqual([{ type: "file_released", fileId: "f1", scanned: false }]);
		expect([...released.effects]).toEqual([]);
	});

	it("blocks a file with a system event and its removal, and after the end removes it without a word", () => {
		const verdict = { type: "file_verdict", fileId: "f1", release: false, scanned: true, key: body.key } as const;
		const blocked = decide(live(), null, verdict, T0 + 1);
		expect(blocked.events.map((e) => e.body)).toEqual([{ type: "file_blocked", fileId: "f1", reason: "infected" }]);
		expect([...blocked.effects]).toEqual([{ kind: "remove_file", key: body.key, multipartId: null }]);
		const after = decide({ ...live(), record: { ...live().record, status: "ended" } }, null, verdict, T0 + 1);
		expect(after.events).toEqual([]);
		expect([...after.effects]).toContainEqual({ kind: "remove_file", key: body.key, multipartId: null });
	});
});
