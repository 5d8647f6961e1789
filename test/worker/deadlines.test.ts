import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { ChatSession } from "../../src/session/chat-session";
import { transcriptKey } from "../../src/session/contract";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, sessionStub, timePasses } from "./helpers";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("the 60-minute support key", () => {
	it("is retired by the alarm at 60 minutes", async () => {
		const started = await newSession();
		expect(await runInDurableObject(sessionStub(started.sessionId), (_i: ChatSession, state) => state.storage.getAlarm())).toBe(started.expiresAt);
		await timePasses(started.sessionId, 61 * MINUTE);
		expect(await runDurableObjectAlarm(sessionStub(started.sessionId))).toBe(true);
		const state = await (await api(`/api/sessions/${started.sessionId}`)).json();
		expect(state).toMatchObject({ status: "expired", endReason: "key_expired" });
		const response = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: new URL(started.inviteUrl).hash.slice(8) }) });
		expect(response.status).toBe(410);
		expect(await response.json()).toEqual({ error: "this support key has expired: ask your support agent for a new one" });
	});

	it("is refused after 60 minutes even when no alarm has run", async () => {
		const started = await newSession();
		await timePasses(started.sessionId, 61 * MINUTE);
		const response = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: new URL(started.inviteUrl).hash.slice(8) }) });
		expect(response.status).toBe(410);
	});

	it("still lets in a customer who joined in time, by the invite link", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await timePasses(started.sessionId, 61 * MINUTE);
		await runDurableObjectAlarm(sessionStub(started.sessionId));
		const again = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: new URL(started.inviteUrl).hash.slice(8) }) });
		expect(again.status).toBe(200);
	});
});

describe("the 25-hour chat", () => {
	it("ends at 25 hours with a system event and a close, and the transcript lands in R2", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		customer.say("c1", "still there?");
		await agent.until(() => agent.messages().length === 1, "the message");
		const alarmAt = await runInDurableObject(sessionStub(started.sessionId), (_i: ChatSession, state) => state.storage.getAlarm());
		expect(alarmAt).toBeGreaterThan(Date.now() + 24 * HOUR);

		await timePasses(started.sessionId, 25 * HOUR + MINUTE);
		expect(await runDurableObjectAlarm(sessionStub(started.sessionId))).toBe(true);
		for (const client of [customer, agent]) {
			await client.untilClosed();
			expect(client.events.at(-1)).toMatchObject({ type: "chat_ended", reason: "time_limit", actor: null });
		}

		const stored = await env.ARCHIVE.get(transcriptKey(started.caseId, started.sessionId));
		expect(stored).not.toBeNull();
		const transcript = await stored!.json<{ sessionId: string; events: { seq: number; type: string; text?: string }[]; endReason: string }>();
		expect(transcript.sessionId).toBe(started.sessionId);
		expect(transcript.endReason).toBe("time_limit");
		expect(transcript.events.map((e) => e.type)).toEqual(["joined", "joined", "message", "chat_ended"]);
		expect(transcript.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);

		const viaApi = await api(`/api/sessions/${started.sessionId}/transcript?download=1`);
		expect(viaApi.status).toBe(200);
		expect(viaApi.headers.get("Content-Disposition")).toContain(`${started.caseId}-${started.sessionId}.json`);
		expect(await viaApi.json()).toEqual(transcript);
	});

	it("is ended by any use after 25 hours even without the alarm", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await timePasses(started.sessionId, 25 * HOUR + MINUTE);
		const state = await (await api(`/api/sessions/${started.sessionId}`)).json();
		expect(state).toMatchObject({ status: "ended", endReason: "time_limit" });
		expect(await env.ARCHIVE.head(transcriptKey(started.caseId, started.sessionId))).not.toBeNull();
	});

	it("is ended when a participant's socket comes back after 25 hours, without the alarm", async () => {
		const started = await newSession();
		const customer = await joinAsCustomer(started);
		await timePasses(started.sessionId, 25 * HOUR + MINUTE);
		// The upgrade's own tick applies the deadline: the socket replays the end and is closed.
		const back = await TestClient.connect(customer);
		expect((await back.frameOf("state")).state).toMatchObject({ status: "ended", endReason: "time_limit" });
		await back.until(() => back.events.find((e) => e.type === "chat_ended"), "the end in the replay");
		expect(await back.untilClosed()).toMatchObject({ code: 1000, reason: "chat ended" });
		expect(await env.ARCHIVE.head(transcriptKey(started.caseId, started.sessionId))).not.toBeNull();
	});

	it("is left as it is by a socket that comes back before any deadline", async () => {
		const started = await newSession();
		const customer = await joinAsCustomer(started);
		await timePasses(started.sessionId, 24 * HOUR);
		const back = await TestClient.connect(customer);
		const { state } = await back.frameOf("state");
		expect(state.endReason).toBeNull();
		expect(state.status).not.toBe("ended");
		expect(back.closed).toBeNull();
		back.close();
	});

	it("changes nothing when the alarm runs twice", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await timePasses(started.sessionId, 25 * HOUR + MINUTE);
		const stub = sessionStub(started.sessionId);
		await runInDurableObject(stub, (instance: ChatSession) => instance.alarm());
		const first = await (await env.ARCHIVE.get(transcriptKey(started.caseId, started.sessionId)))!.text();
		const logAfterFirst = await runInDurableObject(stub, (_i: ChatSession, state) => state.storage.sql.exec("SELECT * FROM events").toArray());
		await runInDurableObject(stub, (instance: ChatSession) => instance.alarm());
		expect(await runDurableObjectAlarm(stub)).toBe(false);
		const second = await (await env.ARCHIVE.get(transcriptKey(started.caseId, started.sessionId)))!.text();
		expect(second).toBe(first);
		expect(await runInDurableObject(stub, (_i: ChatSession, state) => state.storage.sql.exec("SELECT * FROM events").toArray())).toEqual(logAfterFirst);
		expect(JSON.parse(first).events.filter((e: { type: string }) => e.type === "chat_ended")).toHaveLength(1);
	});

	it("has no transcript before it ends", async () => {
		const started = await newSession();
		const response = await api(`/api/sessions/${started.sessionId}/transcript`);
		expect(response.status).toBe(409);
		expect((await api("/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/transcript")).status).toBe(404);
	});
});

describe("when the agent leaves", () => {
	it("waits for the customer, out of the queue, and ends the chat if they do not return in time", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		agent.send({ type: "leave" });
		await customer.until(() => customer.events.find((e) => e.type === "agent_away"), "agent_away");
		const queued = await (await api("/api/queue")).json<{ queue: { sessionId: string }[] }>();
		expect(queued.queue.map((q) => q.sessionId)).not.toContain(started.sessionId);
		const state = await (await api(`/api/sessions/${started.sessionId}`)).json<{ status: string; deadlines: { agentWaitEndsAt: number } }>();
		expect(state.status).toBe("waiting");
		expect(state.deadlines.agentWaitEndsAt).toBeGreaterThan(Date.now() + 11 * HOUR);

		await timePasses(started.sessionId, 12 * HOUR + MINUTE);
		await runDurableObjectAlarm(sessionStub(started.sessionId));
		await customer.untilClosed();
		expect(customer.events.at(-1)).toMatchObject({ type: "chat_ended", reason: "no_return" });
	});

	it("keeps the chat alive when the customer comes back, routed to the previous agent", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		agent.send({ type: "leave" });
		await customer.until(() => customer.events.find((e) => e.type === "agent_away"), "agent_away");
		customer.say("back", "Hey, I'm back");
		await customer.until(() => customer.events.find((e) => e.type === "customer_returned"), "customer_returned");
		await vi.waitFor(async () => {
			const queued = await (await api("/api/queue")).json<{ queue: { sessionId: string; previousAgent: string }[] }>();
			expect(queued.queue).toContainEqual(expect.objectContaining({ sessionId: started.sessionId, previousAgent: "dev-agent" }));
		}, { timeout: 4000 });
		await timePasses(started.sessionId, 12 * HOUR + MINUTE);
		const state = await (await api(`/api/sessions/${started.sessionId}`)).json();
		expect(state).toMatchObject({ status: "waiting", previousAgent: "dev-agent", deadlines: { agentWaitEndsAt: null } });
		const agentAgain = await TestClient.connect(await joinAsAgent(started.sessionId));
		const back = await agentAgain.frameOf("state");
		expect(back.state.status).toBe("active");
		await agentAgain.until(() => agentAgain.messages().includes("Hey, I'm back"), "the customer's message in the replay");
	});
});
