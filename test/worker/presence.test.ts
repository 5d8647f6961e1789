import { describe, expect, it } from "vitest";
import { TestClient, joinAsAgent, joinAsCustomer, newSession } from "./helpers";

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
