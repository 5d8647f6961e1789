import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Joined } from "../../src/shared/api";
import { CHAT_SUBPROTOCOL } from "../../src/shared/socket-auth";
import { COLLEAGUE_TOKEN, TestClient, api, joinAsAgent, joinAsCustomer, newSession, openSocket, post, sessionStub } from "./helpers";

async function chatWithAgentAndCustomer() {
	const started = await newSession();
	const customerJoin = await joinAsCustomer(started);
	const agentJoin = await joinAsAgent(started.sessionId);
	const customer = await TestClient.connect(customerJoin);
	const agent = await TestClient.connect(agentJoin);
	return { started, customerJoin, agentJoin, customer, agent };
}

describe("chat over WebSockets", () => {
	it("sends state first, then fans messages out to everyone in order", async () => {
		const { started, customer, agent } = await chatWithAgentAndCustomer();
		const state = await agent.frameOf("state");
		expect(state.state).toMatchObject({ sessionId: started.sessionId, status: "active", case: { subject: "Printer on fire", severity: "high" } });
		expect(state.you).toMatchObject({ role: "agent", name: "dev-agent" });
		expect(state.state.participants.map((p) => p.role).sort()).toEqual(["agent", "customer"]);

		customer.say("c-1", "Hello, my printer is on fire");
		await agent.until(() => agent.messages().length === 1, "the customer's message");
		agent.say("a-1", "Please step away from the printer");

		// A third participant, a colleague the agent brought in, and the customer's second device.
		const colleague = await TestClient.connect(await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN));
		const inviteToken = new URL(started.inviteUrl).hash.replace("#invite=", "");
		const secondDevice = await TestClient.connect(await post<Joined>("/api/join", { inviteToken }, 200, false));
		const expected = ["Hello, my printer is on fire", "Please step away from the printer"];
		expect((await colleague.frameOf("state")).you).toMatchObject({ role: "agent", name: "colleague" });
		for (const client of [customer, agent, colleague, secondDevice]) {
			await client.until(() => client.messages().length === 2, "both messages");
			expect(client.messages()).toEqual(expected);
			const seqs = client.events.map((e) => e.seq);
			expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
			expect(new Set(seqs).size).toBe(seqs.length);
		}
		const fromAgent = secondDevice.events.find((e) => e.type === "message" && e.clientId === "a-1");
		expect(fromAgent?.actor).toMatchObject({ role: "agent", name: "dev-agent" });
	});

	it("acknowledges a message with its own event, numbered, and a resend with the same id only once, by an ack with that number", async () => {
		const { customer, agent } = await chatWithAgentAndCustomer();
		customer.say("same-id", "only once please");
		const stored = await customer.stored("same-id");
		expect(stored).toMatchObject({ text: "only once please", actor: { id: "customer" } });
		const before = customer.frames.length;
		customer.say("same-id", "only once please");
		const second = await customer.frameOf("ack", before);
		expect(second).toEqual({ type: "ack", clientId: "same-id", seq: stored.seq, duplicate: true });
		// The one ack is the resend's: a new message is not acknowledged twice.
		expect(customer.frames.filter((f) => f.type === "ack")).toEqual([second]);
		agent.say("after", "marker");
		await agent.until(() => agent.messages().includes("marker"), "the marker");
		expect(agent.messages()).toEqual(["only once please", "marker"]);
	});

	it("resumes a dropped client with exactly the events it missed, then live ones", async () => {
		const { customer, agent, customerJoin } = await chatWithAgentAndCustomer();
		customer.say("m1", "one");
		await customer.until(() => customer.messages().length === 1, "its own message");
		const lastSeen = customer.events.at(-1)!.seq;
		customer.close();
		await customer.untilClosed();

		for (const [i, text] of ["two", "three", "four"].entries()) agent.say(`a${i}`, text);
		await agent.until(() => agent.messages().length === 4, "four messages");

		const resumed = await TestClient.connect(customerJoin, lastSeen);
		await resumed.until(() => resumed.messages().length === 3, "the three missed messages");
		agent.say("a-live", "five");
		await resumed.until(() => resumed.messages().length === 4, "the live message");
		expect(resumed.messages()).toEqual(["two", "three", "four", "five"]);
		expect(resumed.events[0]!.seq).toBe(lastSeen + 1);
		const seqs = resumed.events.map((e) => e.seq);
		expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => lastSeen + 1 + i));
	});

	it("loses nothing when the object is evicted between messages", async () => {
		const { started, customer, agent } = await chatWithAgentAndCustomer();
		customer.say("before", "before eviction");
		await agent.until(() => agent.messages().length === 1, "the first message");
		await evictDurableObject(sessionStub(started.sessionId));
		customer.say("after", "after eviction");
		customer.say("before", "before eviction");
		await agent.until(() => agent.messages().length === 2, "the message after eviction");
		const resent = await customer.frameOf("ack");
		expect(resent).toMatchObject({ clientId: "before", seq: (await customer.stored("before")).seq, duplicate: true });
		await customer.stored("after");
		expect(agent.messages()).toEqual(["before eviction", "after eviction"]);
		const seqs = agent.events.map((e) => e.seq);
		expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
	});

	it("fans typing out to the others without storing it", async () => {
		const { customer, agent, agentJoin } = await chatWithAgentAndCustomer();
		const before = agent.frames.length;
		customer.send({ type: "typing" });
		const typing = await agent.frameOf("typing", before);
		expect(typing.actor.role).toBe("customer");
		customer.say("x", "done typing");
		await agent.until(() => agent.messages().length === 1, "the message");
		const late = await TestClient.connect(agentJoin);
		await late.until(() => late.messages().length === 1, "the replay");
		expect(late.frames.some((f) => f.type === "typing")).toBe(false);
		expect(late.events.map((e) => e.type)).not.toContain("typing");
	});

	it("answers bad frames with an error frame, stores nothing and stays usable", async () => {
		const { customer, agent } = await chatWithAgentAndCustomer();
		const bad: [unknown, string][] = [
			["not json at all", "not_json"],
			[{ type: "shout", text: "hi" }, "bad_frame"],
			[{ type: "message", text: "no id" }, "bad_frame"],
			[{ type: "message", clientId: "x", text: "   " }, "bad_frame"],
			[{ type: "message", clientId: "x", text: "y".repeat(5000) }, "bad_frame"],
		];
		for (const [frame, code] of bad) {
			const from = customer.frames.length;
			customer.send(frame);
			const error = await customer.frameOf("error", from);
			expect(error.code).toBe(code);
			expect(error.message.length).toBeGreaterThan(0);
		}
		customer.say("ok", "still works");
		await agent.until(() => agent.messages().length === 1, "the good message");
		expect(agent.messages()).toEqual(["still works"]);
		expect(agent.events.filter((e) => e.type === "message")).toHaveLength(1);
	});

	it("answers a binary frame with an error frame and stores nothing", async () => {
		const { customer, agent } = await chatWithAgentAndCustomer();
		const from = customer.frames.length;
		customer.socket.send(new TextEncoder().encode(JSON.stringify({ type: "message", clientId: "bin", text: "in binary" })));
		expect(await customer.frameOf("error", from)).toMatchObject({ code: "not_text" });
		customer.say("ok", "as text");
		await agent.until(() => agent.messages().length === 1, "the text message");
		expect(agent.messages()).toEqual(["as text"]);
	});

	it("closes the socket of a frame over 16 KiB with 1009, stores nothing, and spends the sender's allowance", async () => {
		const { customerJoin, customer, agent } = await chatWithAgentAndCustomer();
		customer.say("huge", "z".repeat(17_000));
		expect(await customer.untilClosed()).toMatchObject({ code: 1009 });
		const again = await TestClient.connect(customerJoin);
		await again.frameOf("state");
		again.say("after", "back again");
		expect(await again.frameOf("error")).toMatchObject({ code: "rate_limited", clientId: "after" });
		agent.say("marker", "marker");
		await agent.until(() => agent.messages().includes("marker"), "the marker");
		expect(agent.messages()).toEqual(["marker"]);
	});

	it("refuses upgrades with a bad token, another session's token, or a foreign origin", async () => {
		const { customerJoin } = await chatWithAgentAndCustomer();
		const other = await joinAsCustomer(await newSession());
		const forged = { ...customerJoin, token: `${customerJoin.token.split(".")[0]}.AAAA` };
		expect((await openSocket(forged)).status).toBe(401);
		expect((await openSocket({ ...customerJoin, token: other.token })).status).toBe(401);
		expect((await openSocket(customerJoin, 0, { Origin: "https://evil.example" })).status).toBe(403);
		// A token in the URL, where logs would keep it, is not accepted.
		const inUrl = await api(`${customerJoin.webSocketPath}?token=${encodeURIComponent(customerJoin.token)}`, { agent: false, headers: { Upgrade: "websocket" } });
		expect(inUrl.status).toBe(401);
		const sameOrigin = await openSocket(customerJoin, 0, { Origin: "http://example.com" });
		expect(sameOrigin.status).toBe(101);
		// The server picks the chat's subprotocol and never echoes the token.
		expect(sameOrigin.headers.get("Sec-WebSocket-Protocol")).toBe(CHAT_SUBPROTOCOL);
		sameOrigin.webSocket?.accept();
		sameOrigin.webSocket?.close();
	});

	it("ends the chat for everyone with a system event and closed sockets", async () => {
		const { started, customer, agent } = await chatWithAgentAndCustomer();
		agent.send({ type: "end" });
		for (const client of [customer, agent]) {
			await client.untilClosed();
			expect(client.events.at(-1)).toMatchObject({ type: "chat_ended", reason: "ended_by_agent" });
		}
		const state = await (await import("./helpers")).api(`/api/sessions/${started.sessionId}`);
		expect(await state.json()).toMatchObject({ status: "ended", endReason: "ended_by_agent" });
		// The case stays open: ending a chat is not resolving the case.
		const theCase = await (await import("./helpers")).api(`/api/cases/${started.caseId}`);
		expect(await theCase.json()).toMatchObject({ status: "open", session: { status: "ended" } });
	});

	it("resolves the case from the chat", async () => {
		const { started, customer } = await chatWithAgentAndCustomer();
		customer.send({ type: "resolve" });
		await customer.untilClosed();
		expect(customer.events.slice(-2).map((e) => e.type)).toEqual(["case_resolved", "chat_ended"]);
		const theCase = await (await import("./helpers")).api(`/api/cases/${started.caseId}`);
		expect(await theCase.json()).toMatchObject({ status: "resolved", session: { status: "resolved" } });
	});
});
