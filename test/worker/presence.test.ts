import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ARRIVAL_TOLD_AFTER_MS } from "../../src/session/socket-door";
import { TestClient, joinAsAgent, joinAsCustomer, newSession, sessionStub } from "./helpers";

describe("presence frames", () => {
	it("carry the deadlines, so an agent who was there first sees the chat's clock start", async () => {
		const started = await newSession();
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		const state = await agent.frameOf("state");
		expect(state.state.deadlines).toEqual({ keyExpiresAt: started.expiresAt, chatEndsAt: null, agentWaitEndsAt: null });

		const before = Date.now();
		await joinAsCustomer(started);
		const active = await agent.until(
			() => agent.frames.find((f) => f.type === "presence" && f.status === "active"),
			"the chat to become active",
		);
		if (active.type !== "presence") throw new Error("not a presence frame");
		expect(active.deadlines.keyExpiresAt).toBeNull();
		expect(active.deadlines.chatEndsAt).toBeGreaterThanOrEqual(before + 90_000_000);
		expect(active.deadlines.chatEndsAt).toBeLessThanOrEqual(Date.now() + 90_000_000);
		agent.close();
	});
});

describe("someone the session lets go of", () => {
	it("is shown gone in the very frame that says they left, not online until their socket has finished closing", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await customer.frameOf("state");
		const agentJoin = await joinAsAgent(started.sessionId);
		const agent = await TestClient.connect(agentJoin);
		await agent.frameOf("state");
		const from = customer.frames.length;
		agent.send({ type: "leave" });
		// The leave changes the chat's status: the presence frame that says so is the first one after it.
		const waiting = await customer.until(
			() => customer.frames.slice(from).find((f) => f.type === "presence" && f.status === "waiting"),
			"the presence frame of the agent leaving",
		);
		if (waiting.type !== "presence") throw new Error("not a presence frame");
		expect(waiting.participants.find((p) => p.id === agentJoin.participantId)).toMatchObject({ online: false, present: false });
		customer.close();
	});
});

/** Returns once the session has run the timer an arrival set to tell the others: a later one fires after it. */
function arrivalTold(sessionId: string): Promise<void> {
	return runInDurableObject(sessionStub(sessionId), () => new Promise<void>((resolve) => setTimeout(resolve, ARRIVAL_TOLD_AFTER_MS)));
}

describe("an arrival", () => {
	it("is told to the others in a frame with the arriving person's entry alone, and not again to the socket arriving, whose state frame has it", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await customer.frameOf("state");
		await arrivalTold(started.sessionId);
		// An answer to a message comes after every frame sent before it.
		customer.say("c1", "anyone there?");
		await customer.stored("c1");
		// Alone in the chat: nobody to tell, and no frame repeating the state the customer just had.
		expect(customer.frames.filter((f) => f.type === "presence" || f.type === "participant")).toEqual([]);

		const agentJoin = await joinAsAgent(started.sessionId);
		const from = customer.frames.length;
		const agent = await TestClient.connect(agentJoin);
		const state = await agent.frameOf("state");
		expect(state.state.participants.find((p) => p.id === agentJoin.participantId)).toMatchObject({ online: true });
		await arrivalTold(started.sessionId);
		const arrival = await customer.until(
			() => customer.frames.slice(from).find((f) => f.type === "participant" && f.participant.id === agentJoin.participantId && f.participant.online),
			"the agent shown online",
		);
		// Only the one who arrived: the customer's own entry did not change and is not sent again.
		expect(arrival).toMatchObject({ type: "participant", participant: { id: agentJoin.participantId, role: "agent", online: true, present: true } });
		agent.say("a1", "hello");
		const own = await agent.stored("a1");
		const upTo = agent.frames.findIndex((f) => f.type === "events" && f.events.includes(own));
		expect(agent.frames.slice(0, upTo).filter((f) => f.type === "presence" || f.type === "participant")).toEqual([]);
		customer.close();
		agent.close();
	});
});
