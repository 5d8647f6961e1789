/** A session's lifecycle as pure functions: status, queue, deadlines, without a runtime. */
import { describe, expect, it } from "vitest";
import { agentAway, dueEnd, ended, isQueued, pendingDeadlines, started, statusOf, visibleDeadlines } from "../../src/session/lifecycle";
import { HOUR, T0, freshRecord as record } from "./fresh-record";

const nobody = { agentPresent: false, customerPresent: false };
const customerOnly = { agentPresent: false, customerPresent: true };
const both = { agentPresent: true, customerPresent: true };

describe("status", () => {
	it("is pending until the end-user is in, waiting without an agent, active with one", () => {
		const fresh = record();
		expect(statusOf(fresh, both)).toBe("pending");
		const joined = started(fresh, T0 + 1);
		expect(statusOf(joined, customerOnly)).toBe("waiting");
		expect(statusOf(joined, both)).toBe("active");
	});

	it("stays what the end made it, whoever is present", () => {
		const over = ended(started(record(), T0), "resolved", T0 + 5);
		expect(statusOf(over, both)).toBe("resolved");
		expect(ended(record(), "key_expired", T0).status).toBe("expired");
		expect(ended(record(), "key_replaced", T0).status).toBe("expired");
		expect(ended(record(), "no_return", T0).status).toBe("ended");
	});
});

describe("the queue", () => {
	it("holds a waiting chat whose customer is there, but not while the agent who left waits for them", () => {
		const waiting = { ...started(record(), T0), status: "waiting" as const };
		expect(isQueued(waiting, customerOnly)).toBe(true);
		expect(isQueued(waiting, nobody)).toBe(false);
		expect(isQueued(agentAway(waiting, "dev-agent", T0 + 1), customerOnly)).toBe(false);
		expect(isQueued({ ...waiting, status: "active" }, both)).toBe(false);
	});
});

describe("deadlines", () => {
	it("ends an unused key at 60 minutes, and never before", () => {
		expect(dueEnd(record(), T0 + HOUR - 1)).toBeNull();
		expect(dueEnd(record(), T0 + HOUR)).toBe("key_expired");
	});

	it("ends a chat at 25 hours from the first join, whatever the waits", () => {
		const joined = { ...started(record(), T0 + 10), status: "waiting" as const };
		expect(joined.chatEndsAt).toBe(T0 + 10 + 25 * HOUR);
		const away = agentAway(joined, "dev-agent", T0 + 20 * HOUR);
		// The disconnect wait is cut short by the 25-hour limit.
		expect(away.agentWaitEndsAt).toBe(joined.chatEndsAt);
		expect(dueEnd(away, T0 + 10 + 25 * HOUR)).toBe("time_limit");
	});

	it("ends a chat whose customer did not come back within the wait", () => {
		const joined = { ...started(record(), T0), status: "waiting" as const };
		const away = agentAway(joined, "dev-agent", T0 + HOUR);
		expect(dueEnd(away, T0 + 13 * HOUR - 1)).toBeNull();
		expect(dueEnd(away, T0 + 13 * HOUR)).toBe("no_return");
	});

	it("lists what still matters, and nothing once the chat has ended", () => {
		expect(pendingDeadlines(record())).toEqual([T0 + HOUR]);
		const joined = { ...started(record(), T0), status: "waiting" as const };
		expect(pendingDeadlines(joined)).toEqual([T0 + 25 * HOUR]);
		expect(pendingDeadlines(ended(joined, "ended_by_agent", T0 + 1))).toEqual([]);
	});

	it("shows clients the key's time only while it can still start the chat", () => {
		expect(visibleDeadlines(record())).toEqual({ keyExpiresAt: T0 + HOUR, chatEndsAt: null, agentWaitEndsAt: null });
		const joined = { ...started(record(), T0), status: "active" as const };
		expect(visibleDeadlines(joined)).toEqual({ keyExpiresAt: null, chatEndsAt: T0 + 25 * HOUR, agentWaitEndsAt: null });
	});
});
