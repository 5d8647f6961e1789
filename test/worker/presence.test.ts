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
