import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { CaseDirectory } from "../../src/directory/case-directory";
import type { ChatSession } from "../../src/session/chat-session";
import { transcriptKey } from "../../src/session/contract";
import { TestClient, api, joinAsAgent, joinAsCustomer, crash, never, newSession, outboxOf, post, sessionStub, storedRecord, timePasses, withPorts } from "./helpers";

describe("a support key starts the chat once", () => {
	it("refuses the key a second time, while the invite link still lets the customer back in", async () => {
		const started = await newSession();
		const first = await joinAsCustomer(started);
		const again = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ supportKey: started.supportKey }) });
		expect(again.status).toBe(410);
		expect((await again.json<{ error: string }>()).error).toContain("already been used");
		const token = new URL(first.resumeUrl ?? "").hash.replace("#invite=", "");
		expect((await post<{ role: string }>("/api/join", { inviteToken: token }, 200, false)).role).toBe("customer");
	});
});

describe("invite results", () => {
	it("reach agents in full and customers without recipient or provider detail", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		const note = { type: "invite_sent", channel: "sms", to: "+49•••••678", ok: false, detail: "SMS provider refused (400): bad number" } as const;
		await sessionStub(started.sessionId).note(note, { id: "agent:dev-agent", role: "agent", name: "dev-agent" });
		const seen = (client: TestClient) => client.until(() => client.events.find((e) => e.type === "invite_sent"), "the invite event");
		expect(await seen(agent)).toMatchObject({ to: "+49•••••678", detail: "SMS provider refused (400): bad number" });
		expect(await seen(customer)).toMatchObject({ to: "", detail: "", ok: false });
		const replayed = await TestClient.connect(await post("/api/join", { inviteToken: new URL(started.inviteUrl).hash.slice(8) }, 200, false));
		expect(await seen(replayed)).toMatchObject({ to: "", detail: "" });
	});
});

describe("floods", () => {
	it("passes on at most one typing indicator a second per participant", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		for (let i = 0; i < 5; i++) customer.send({ type: "typing" });
		customer.say("marker", "after the typing");
		await agent.until(() => agent.messages().includes("after the typing"), "the marker");
		expect(agent.frames.filter((f) => f.type === "typing")).toHaveLength(1);
	});

	it("refuses messages once a session holds 10,000 events, storing nothing more", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await customer.frameOf("state");
		await runInDurableObject(sessionStub(started.sessionId), (_i: ChatSession, state) => {
			const sql = state.storage.sql;
			const last = sql.exec<{ seq: number }>("SELECT max(seq) AS seq FROM events").one().seq;
			for (let seq = last + 1; seq <= 10_000; seq++) sql.exec("INSERT INTO events (seq, json) VALUES (?, ?)", seq, JSON.stringify({ seq, at: 0, actor: null, type: "left" }));
		});
		await evictDurableObject(sessionStub(started.sessionId));
		customer.say("one-too-many", "hello?");
		const error = await customer.frameOf("error");
		expect(error).toMatchObject({ code: "session_full", clientId: "one-too-many" });
	});
});

describe("transcripts survive a crash", () => {
	it("are written by the alarm when the object died between ending and writing", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const stub = sessionStub(started.sessionId);
		// R2 never answers: the object dies with the write under way, the chat ended and the effect in its outbox.
		await withPorts(started.sessionId, () => ({ archive: { put: never } }));
		customer.send({ type: "end" });
		await customer.untilClosed();
		await crash(started.sessionId);
		expect(await env.ARCHIVE.head(transcriptKey(started.caseId, started.sessionId))).toBeNull();
		await timePasses(started.sessionId, 6_000);
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		expect(await env.ARCHIVE.head(transcriptKey(started.caseId, started.sessionId))).not.toBeNull();
		expect((await (await api(`/api/cases/${started.caseId}`)).json<{ session: { status: string } }>()).session.status).toBe("ended");
		expect(await runDurableObjectAlarm(stub)).toBe(false);
	});

	it("clear the retry once the write has succeeded", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" });
		expect(await storedRecord(started.sessionId)).toMatchObject({ status: "ended" });
		expect(await outboxOf(started.sessionId)).toEqual([]);
	});
});

describe("the case directory", () => {
	const directory = () => env.DIRECTORY.get(env.DIRECTORY.idFromName("global"));
	const queued = async (sessionId: string) =>
		(await (await api("/api/queue")).json<{ queue: { sessionId: string; waitingSince: number }[] }>()).queue.find((q) => q.sessionId === sessionId);
	const inQueue = async (sessionId: string) => (await queued(sessionId)) !== undefined;

	it("hears of a customer's join, and the session then keeps no check pending", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await vi.waitFor(async () => expect(await inQueue(started.sessionId)).toBe(true), { timeout: 4000 });
		await vi.waitFor(async () => expect(await outboxOf(started.sessionId)).toEqual([]), { timeout: 4000 });
	});

	it("hears again from the alarm when a report was lost", async () => {
		const started = await newSession();
		// The report is under way when the object dies: the directory never hears it.
		await withPorts(started.sessionId, () => ({ reportToDirectory: never }));
		const joinedAt = Date.now();
		await joinAsCustomer(started);
		await crash(started.sessionId);
		expect(await inQueue(started.sessionId)).toBe(false);
		await timePasses(started.sessionId, 6_000);
		expect(await runDurableObjectAlarm(sessionStub(started.sessionId))).toBe(true);
		// In the queue now, and waiting since the customer joined, not since the report was resent.
		const waitingSince = (await queued(started.sessionId))?.waitingSince ?? 0;
		expect(waitingSince).toBeGreaterThanOrEqual(joinedAt);
		expect(waitingSince).toBeLessThan(joinedAt + 3_000);
		// The alarm waited for the report to arrive, so it needs no further try.
		expect(await outboxOf(started.sessionId)).toEqual([]);
	});

	it("keeps telling a failing directory, less and less often, until it listens", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await vi.waitFor(async () => expect(await inQueue(started.sessionId)).toBe(true), { timeout: 4000 });
		// The directory fails every report from now on.
		await runInDurableObject(directory(), (_i: CaseDirectory, state) => state.storage.sql.exec("DROP TABLE sessions"));
		await joinAsAgent(started.sessionId);
		const [first] = await outboxOf(started.sessionId);
		expect(first).toMatchObject({ effect: "report", attempts: 1 });
		expect(first!.dueInMs).toBeGreaterThan(3_000);
		expect(await inQueue(started.sessionId)).toBe(true);

		await timePasses(started.sessionId, first!.dueInMs);
		await runDurableObjectAlarm(sessionStub(started.sessionId));
		const [second] = await outboxOf(started.sessionId);
		expect(second).toMatchObject({ effect: "report", attempts: 2 });
		expect(second!.dueInMs).toBeGreaterThan(8_000);

		// The directory recovers: a new instance creates its tables again.
		await evictDurableObject(directory());
		await timePasses(started.sessionId, second!.dueInMs);
		await runDurableObjectAlarm(sessionStub(started.sessionId));
		expect(await inQueue(started.sessionId)).toBe(false);
		expect((await (await api(`/api/cases/${started.caseId}`)).json<{ session: { status: string } }>()).session.status).toBe("active");
		expect(await outboxOf(started.sessionId)).toEqual([]);
	});
});
