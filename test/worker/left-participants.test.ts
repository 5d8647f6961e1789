/** A participant who left: the token they had stops working at that point, a new admission works. */
import { describe, expect, it } from "vitest";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, openSocket, post } from "./helpers";
import type { Joined } from "../../src/shared/api";

describe("after leaving", () => {
	it("an agent's old token can neither reconnect nor replay what was written after, even once the chat has ended", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agentJoin = await joinAsAgent(started.sessionId);
		const agent = await TestClient.connect(agentJoin);
		agent.send({ type: "leave" });
		await agent.untilClosed();
		customer.say("after", "written after the agent left");
		await customer.stored("after");
		expect((await openSocket(agentJoin)).status).toBe(403);
		customer.send({ type: "end" });
		await customer.untilClosed();
		expect((await openSocket(agentJoin)).status).toBe(403);
		// Agents read ended chats with a new admission, as the console does.
		const reader = await TestClient.connect(await joinAsAgent(started.sessionId));
		await reader.untilClosed();
		expect(reader.messages()).toEqual(["written after the agent left"]);
	});

	it("a customer's old token stops working, and their invite link lets them back in on a new one", async () => {
		const started = await newSession();
		const first = await joinAsCustomer(started);
		const customer = await TestClient.connect(first);
		customer.send({ type: "leave" });
		await customer.untilClosed();
		expect((await openSocket(first)).status).toBe(403);
		const back = await post<Joined>("/api/join", { inviteToken: new URL(started.inviteUrl).hash.slice(8) }, 200, false);
		const again = await TestClient.connect(back);
		expect((await again.frameOf("state")).you.id).toBe(first.participantId);
		expect((await openSocket(first)).status).toBe(403);
		expect((await api(`/api/sessions/${started.sessionId}`)).status).toBe(200);
	});
});
