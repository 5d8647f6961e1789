/**
 * Routing of customer-started chats: offers to the available agent idle longest, within their
 * capacity, one agent at a time, timing out to the next and then staying in the queue.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { Joined } from "../../src/shared/api";
import type { SessionState } from "../../src/shared/protocol";
import type { QueueEntry } from "../../src/shared/queue";
import type { Place } from "../../src/shared/routing";
import type { TeamRouter } from "../../src/routing/team-router";
import { shifted } from "../../src/session/clock";
import { COLLEAGUE_TOKEN, TestClient, api, joinAsAgent } from "./helpers";
import { AgentConsole, accept, offerTimePasses, routerStub, setAvailability, startChat } from "./routing-helpers";

async function sessionState(sessionId: string): Promise<SessionState> {
	return (await api(`/api/sessions/${sessionId}`)).json<SessionState>();
}

async function placeOf(started: Joined): Promise<Place> {
	return (await api(`/api/chats/${started.sessionId}/place`, { agent: false, headers: { Authorization: `Bearer ${started.token}` } })).json<Place>();
}

/** Who the router has each chat offered to right now, by session. */
function offersIn(team: string): Promise<Record<string, string | null>> {
	return runInDurableObject(routerStub(team), (_i: TeamRouter, state) =>
		Object.fromEntries(state.storage.sql.exec<{ session_id: string; offered_to: string | null }>("SELECT session_id, offered_to FROM chats").toArray().map((r) => [r.session_id, r.offered_to])),
	);
}

async function queued(): Promise<string[]> {
	return (await (await api("/api/queue")).json<{ queue: QueueEntry[] }>()).queue.map((e) => e.sessionId);
}

describe("routing a chat a customer started", () => {
	it("waits from the start, is offered to the available agent, and is theirs once accepted", async () => {
		const agent = await AgentConsole.open("offers");
		expect(agent.latest).toMatchObject({ availability: "available", capacity: 2, load: 0, offers: [] });
		const started = await startChat("offers", { topic: "My order is late" });
		expect(started).toMatchObject({ role: "customer", team: "offers", queue: "general" });
		expect((await sessionState(started.sessionId)).status).toBe("waiting");
		expect((await sessionState(started.sessionId)).case.subject).toBe("My order is late");

		const offered = await agent.until((f) => f.offers.length === 1, "the offer");
		expect(offered.offers[0]).toMatchObject({ sessionId: started.sessionId, customerName: "Robin", subject: "My order is late", queue: "general" });
		expect(offered.load).toBe(1);
		expect(await placeOf(started)).toMatchObject({ position: 1, nobodyThere: false });

		const answer = await accept("offers", started.sessionId);
		expect(answer.status).toBe(200);
		expect(await answer.json<Joined>()).toMatchObject({ sessionId: started.sessionId, role: "agent" });
		await agent.until((f) => f.offers.length === 0 && f.load === 1, "the accepted chat counted as theirs");
		expect((await sessionState(started.sessionId)).status).toBe("active");
		expect(await placeOf(started)).toEqual({ position: null, estimatedWaitMs: null, nobodyThere: false });
		// An offer is accepted once.
		expect((await accept("offers", started.sessionId)).status).toBe(409);
		agent.close();
	});

	it("goes to the next agent when an offer times out, then stays in the queue, where it can still be picked", async () => {
		const first = await AgentConsole.open("timeouts");
		const second = await AgentConsole.open("timeouts", COLLEAGUE_TOKEN);
		const started = await startChat("timeouts");
		// dev-agent came first, so has been idle longest.
		await first.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the first offer");
		expect(second.offered()).toEqual([]);

		await offerTimePasses("timeouts", 31_000);
		await second.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the second offer");
		await first.until((f) => f.offers.length === 0, "the first offer withdrawn");
		expect((await accept("timeouts", started.sessionId)).status).toBe(409);

		await offerTimePasses("timeouts", 62_000);
		await second.until((f) => f.offers.length === 0, "the second offer withdrawn");
		expect((await offersIn("timeouts"))[started.sessionId]).toBeNull();
		await vi.waitFor(async () => expect(await queued()).toContain(started.sessionId), { timeout: 4000 });

		await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN);
		await second.until((f) => f.load === 1, "the picked chat counted as the colleague's");
		first.close();
		second.close();
	});

	it("never gives an agent more than their capacity, nor offers a chat to two at once, when chats start together", async () => {
		const agent = await AgentConsole.open("capacity");
		const colleague = await AgentConsole.open("capacity", COLLEAGUE_TOKEN);
		const started = await Promise.all([1, 2, 3, 4, 5].map(() => startChat("capacity")));
		await agent.until((f) => f.offers.length === 2, "two offers (capacity 2)");
		await colleague.until((f) => f.offers.length === 1, "one offer (capacity 1)");
		const offers = await offersIn("capacity");
		const holders = started.map((s) => offers[s.sessionId]);
		expect(holders.filter((h) => h === "dev-agent")).toHaveLength(2);
		expect(holders.filter((h) => h === "colleague")).toHaveLength(1);
		expect(holders.filter((h) => h === null)).toHaveLength(2);
		const mine = [...agent.offered(), ...colleague.offered()];
		expect(new Set(mine).size).toBe(3);

		await Promise.all(agent.offered().map((id) => accept("capacity", id)));
		await Promise.all(colleague.offered().map((id) => accept("capacity", id, COLLEAGUE_TOKEN)));
		await agent.until((f) => f.load === 2 && f.offers.length === 0, "two chats held");
		// Full: the other two wait in the queue, offered to nobody.
		expect(Object.values(await offersIn("capacity")).filter((h) => h !== null)).toEqual([]);
		agent.close();
		colleague.close();
	});

	it("offers nothing to an agent who is away or whose console is closed", async () => {
		const agent = await AgentConsole.open("away");
		try {
			await setAvailability({ availability: "away" });
			await agent.until((f) => f.availability === "away", "away");
			const started = await startChat("away");
			// The start answers after the router has decided.
			expect((await offersIn("away"))[started.sessionId]).toBeNull();
			expect(agent.offered()).toEqual([]);

			await setAvailability({ availability: "available" });
			await agent.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer once available");

			agent.close();
			await vi.waitFor(async () => expect((await offersIn("away"))[started.sessionId]).toBeNull(), { timeout: 4000 });
			const again = await startChat("away");
			expect((await offersIn("away"))[again.sessionId]).toBeNull();
		} finally {
			await setAvailability({ availability: "available" });
		}
	});

	it("routes a customer who comes back to the agent they had, before anyone idle longer", async () => {
		const colleague = await AgentConsole.open("returning", COLLEAGUE_TOKEN);
		await setAvailability({ availability: "away" }, COLLEAGUE_TOKEN);
		const agent = await AgentConsole.open("returning");
		const started = await startChat("returning");
		await agent.until((f) => f.offers.length === 1, "the offer");
		const agentJoined = await (await accept("returning", started.sessionId)).json<Joined>();
		const customer = await TestClient.connect(started);
		const agentSocket = await TestClient.connect(agentJoined);
		agentSocket.send({ type: "leave" });
		await customer.until(() => customer.events.some((e) => e.type === "agent_away"), "the agent leaving");
		await agent.until((f) => f.load === 0, "the chat no longer the agent's");
		// The colleague is back and has been idle longer, but the customer had dev-agent.
		await setAvailability({ availability: "available" }, COLLEAGUE_TOKEN);
		customer.say("back-1", "Hey, I'm back");
		await agent.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer to the previous agent");
		expect(colleague.offered()).toEqual([]);
		customer.close();
		agentSocket.close();
		agent.close();
		colleague.close();
	});

	it("moves a waiting customer up the queue, with a shorter estimate, as the chat before them is taken", async () => {
		const first = await startChat("places");
		const second = await startChat("places");
		// Nobody available: a place, and no wait promised.
		expect(await placeOf(second)).toEqual({ position: 2, estimatedWaitMs: null, nobodyThere: false });
		const agent = await AgentConsole.open("places");
		const before = await placeOf(second);
		expect(before).toMatchObject({ position: 2, nobodyThere: false });
		await joinAsAgent(first.sessionId);
		await vi.waitFor(async () => expect((await placeOf(second)).position).toBe(1), { timeout: 4000 });
		expect((await placeOf(second)).estimatedWaitMs).toBeLessThan(before.estimatedWaitMs ?? 0);
		expect(await placeOf(first)).toEqual({ position: null, estimatedWaitMs: null, nobodyThere: false });
		agent.close();
	});

	it("tells a waiting customer plainly once nobody has been available for the team's time", async () => {
		// Team "pages": nobody's console is open there, and it waits 60 seconds before saying so.
		const started = await startChat("pages");
		expect(await placeOf(started)).toMatchObject({ position: 1, nobodyThere: false });
		await runInDurableObject(routerStub("pages"), (instance: TeamRouter) => {
			instance.clock = shifted(instance.clock, 61_000);
		});
		expect(await placeOf(started)).toMatchObject({ position: 1, nobodyThere: true });
		const stranger = await api(`/api/chats/${started.sessionId}/place`, { agent: false });
		expect(stranger.status).toBe(401);
	});
});

