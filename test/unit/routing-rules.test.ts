/** The routing rules as pure functions: whom a chat is offered to, business hours, and the ROUTING setting. */
import { describe, expect, it } from "vitest";
import type { AgentFacts } from "../../src/routing/contract";
import { isOpen, nextOpening } from "../../src/routing/hours";
import { pickAgent } from "../../src/routing/pick";
import { DEFAULT_ROUTING, homeQueueOf, parseRouting, takesQueue, teamsOfAgent } from "../../src/routing/routing-config";

function agent(name: string, facts: Partial<AgentFacts> = {}): AgentFacts {
	return { name, availability: "available", capacity: 2, load: 0, idleSince: 0, takesQueue: () => true, ...facts };
}

const chat = { queue: "general", previousAgent: null, tried: [] };

describe("whom a chat is offered to", () => {
	it("is the available agent with room who has been idle longest", () => {
		expect(pickAgent([agent("ana", { idleSince: 20 }), agent("bo", { idleSince: 10 }), agent("cy", { idleSince: 5, availability: "away" })], chat)).toBe("bo");
		expect(pickAgent([agent("ana", { idleSince: 20 }), agent("bo", { idleSince: 10, load: 2 })], chat)).toBe("ana");
		expect(pickAgent([agent("ana", { availability: "offline" }), agent("bo", { takesQueue: (q) => q === "billing" })], chat)).toBeNull();
	});

	it("is the customer's previous agent when they can take it, and never one who let it pass", () => {
		const agents = [agent("ana", { idleSince: 1 }), agent("bo", { idleSince: 50 })];
		expect(pickAgent(agents, { ...chat, previousAgent: "bo" })).toBe("bo");
		expect(pickAgent(agents, { ...chat, previousAgent: "bo", tried: ["bo"] })).toBe("ana");
		expect(pickAgent(agents, { ...chat, tried: ["ana", "bo"] })).toBeNull();
	});
});

describe("business hours", () => {
	const hours = { timeZone: "Europe/Berlin", weekly: { mon: [["09:00", "17:00"]] as [string, string][] }, holidays: ["2026-12-28"] };
	it("are read in the team's time zone, with holidays closed all day", () => {
		// Monday 30 November 2026, 08:30 UTC is 09:30 in Berlin.
		expect(isOpen(hours, Date.UTC(2026, 10, 30, 8, 30))).toBe(true);
		expect(isOpen(hours, Date.UTC(2026, 10, 30, 7, 30))).toBe(false);
		expect(isOpen(hours, Date.UTC(2026, 10, 30, 16, 0))).toBe(false);
		expect(isOpen(hours, Date.UTC(2026, 11, 28, 9, 0))).toBe(false);
		expect(isOpen(undefined, 0)).toBe(true);
	});

	it("say when the team next opens", () => {
		expect(nextOpening(hours, Date.UTC(2026, 10, 30, 16, 0))).toBe(Date.UTC(2026, 11, 7, 8, 0));
		expect(nextOpening(hours, Date.UTC(2026, 10, 30, 8, 30))).toBeNull();
		expect(nextOpening({ timeZone: "UTC", weekly: {}, holidays: [] }, 0)).toBeNull();
	});
});

describe("the ROUTING setting", () => {
	it("defaults to one team open around the clock that every agent takes", () => {
		expect(parseRouting("")).toEqual(DEFAULT_ROUTING);
		expect(teamsOfAgent(DEFAULT_ROUTING, "anyone").map((t) => t.id)).toEqual(["support"]);
	});

	it("says what is wrong with a bad one", () => {
		expect(parseRouting("{")).toBe("ROUTING is not JSON");
		expect(parseRouting(JSON.stringify({ teams: [{ id: "a", name: "A", queues: [{ id: "q", name: "Q" }], hours: { timeZone: "Mars/Olympus", weekly: {} } }] }))).toMatch(/IANA time zone/);
		expect(parseRouting(JSON.stringify({ teams: [{ id: "a", name: "A", queues: [{ id: "q", name: "Q" }], hours: { timeZone: "UTC", weekly: { mon: ["17:00-09:00"] } } }] }))).toMatch(/ends after it starts/);
		const teams = [{ id: "a", name: "A", queues: [{ id: "q", name: "Q" }] }];
		for (const queues of [["b/*"], ["a/nope"]]) {
			expect(parseRouting(JSON.stringify({ teams, profiles: { alice: { queues } } }))).toMatch(/a profile names a team or queue that ROUTING does not have/);
		}
		expect(parseRouting(JSON.stringify({ teams, defaultProfile: { queues: ["b/q"] } }))).toMatch(/a profile names a team or queue/);
		expect(typeof parseRouting(JSON.stringify({ teams, profiles: { alice: { queues: ["a/q", "a/*", "*"] } } }))).toBe("object");
	});

	it("sends a chat an agent starts with a support key to the first queue their profile names", () => {
		const routing = parseRouting(JSON.stringify({ teams: [{ id: "a", name: "A", queues: [{ id: "q", name: "Q" }] }, { id: "b", name: "B", queues: [{ id: "x", name: "X" }, { id: "y", name: "Y" }] }], profiles: { alice: { queues: ["b/y", "a/q"] }, bob: { queues: ["b/*"] } } }));
		if (typeof routing === "string") throw new Error(routing);
		expect(homeQueueOf(routing, "alice")).toEqual({ team: "b", queue: "y" });
		expect(homeQueueOf(routing, "bob")).toEqual({ team: "b", queue: "x" });
		expect(homeQueueOf(routing, "carol")).toEqual({ team: "a", queue: "q" });
	});

	it("matches a profile's queues by team and queue", () => {
		const profile = { queues: ["sales/*", "support/billing"], capacity: 2 };
		expect(takesQueue(profile, "sales", "anything")).toBe(true);
		expect(takesQueue(profile, "support", "billing")).toBe(true);
		expect(takesQueue(profile, "support", "general")).toBe(false);
	});
});
