/**
 * Every side effect goes through the session's outbox: R2 or the directory may refuse or hang, the
 * object may die at any point, and still each effect is carried out, and carried out again changes
 * nothing.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { SessionChange } from "../../src/directory/contract";
import type { ChatSession } from "../../src/session/chat-session";
import { transcriptKey } from "../../src/session/contract";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, outboxOf, sessionStub, storedRecord, timePasses, withPorts } from "./helpers";

/** Runs the alarm after moving the session's clock to the outbox's next try. */
async function nextTry(sessionId: string): Promise<void> {
	const [row] = await outboxOf(sessionId);
	await timePasses(sessionId, Math.max(0, row?.dueInMs ?? 0));
	await runDurableObjectAlarm(sessionStub(sessionId));
}

async function endedChat() {
	const started = await newSession();
	const customer = await TestClient.connect(await joinAsCustomer(started));
	await customer.frameOf("state");
	return { started, customer };
}

describe("the transcript through the outbox", () => {
	it("is written exactly once after R2 refused it three times, with the record intact and each retry waiting longer", async () => {
		const { started, customer } = await endedChat();
		let refusals = 3;
		const written: string[] = [];
		await withPorts(started.sessionId, () => ({
			archive: {
				put: async (key: string, body: Parameters<R2Bucket["put"]>[1], options?: R2PutOptions) => {
					if (refusals-- > 0) throw new Error("R2 is down");
					written.push(key);
					return env.ARCHIVE.put(key, body, options);
				},
			},
		}));
		customer.send({ type: "end" });
		await customer.untilClosed();
		const waits: number[] = [];
		for (let tries = 0; tries < 3; tries++) {
			await vi.waitFor(async () => expect((await outboxOf(started.sessionId)).find((r) => r.effect === "transcript")?.attempts).toBe(tries + 1));
			const row = (await outboxOf(started.sessionId)).find((r) => r.effect === "transcript");
			waits.push(row?.dueInMs ?? 0);
			await nextTry(started.sessionId);
		}
		expect(waits[0]).toBeGreaterThan(4_000);
		expect(waits[1]).toBeGreaterThan(waits[0]! * 1.5);
		expect(waits[2]).toBeGreaterThan(waits[1]! * 1.5);
		expect(written).toEqual([transcriptKey(started.caseId, started.sessionId)]);
		expect(await outboxOf(started.sessionId)).toEqual([]);
		expect(await storedRecord(started.sessionId)).toMatchObject({ status: "ended", endReason: "ended_by_customer", sessionId: started.sessionId });
		const transcript = await (await env.ARCHIVE.get(transcriptKey(started.caseId, started.sessionId)))!.json<{ events: { type: string }[] }>();
		expect(transcript.events.map((e) => e.type)).toEqual(["joined", "chat_ended"]);
		// Nothing is left for the alarm.
		expect(await runDurableObjectAlarm(sessionStub(started.sessionId))).toBe(false);
	});

	it("is carried out again after the object died having written it, and the second write changes nothing", async () => {
		const { started, customer } = await endedChat();
		let puts = 0;
		await runInDurableObject(sessionStub(started.sessionId), (instance: ChatSession, state) => {
			const real = instance.ports.archive;
			instance.ports.archive = {
				put: async (key: string, body: Parameters<R2Bucket["put"]>[1], options?: R2PutOptions) => {
					const object = await real.put(key, body, options);
					puts += 1;
					// Dies after the write, before the outbox hears it was done.
					state.abort("crash after the write");
					return object;
				},
			};
		});
		customer.send({ type: "end" });
		await customer.untilClosed();
		await vi.waitFor(() => expect(puts).toBe(1));
		const first = await (await env.ARCHIVE.get(transcriptKey(started.caseId, started.sessionId)))!.text();
		expect((await outboxOf(started.sessionId)).map((r) => r.effect)).toContain("transcript");
		await nextTry(started.sessionId);
		await vi.waitFor(async () => expect((await outboxOf(started.sessionId)).map((r) => r.effect)).not.toContain("transcript"));
		const second = await (await env.ARCHIVE.get(transcriptKey(started.caseId, started.sessionId)))!.text();
		expect(second).toBe(first);
		expect(JSON.parse(second).events.filter((e: { type: string }) => e.type === "chat_ended")).toHaveLength(1);
	});
});

describe("the directory through the outbox", () => {
	it("catches up, case list and queue, after refusing reports twice", async () => {
		const started = await newSession();
		let refusals = 2;
		const delivered: SessionChange[] = [];
		await withPorts(started.sessionId, (ports) => {
			const real = ports.reportToDirectory;
			return {
				reportToDirectory: async (change: SessionChange) => {
					if (refusals-- > 0) throw new Error("directory is down");
					delivered.push(change);
					return real(change);
				},
			};
		});
		await joinAsCustomer(started);
		const queue = async () => (await (await api("/api/queue")).json<{ queue: { sessionId: string }[] }>()).queue.map((q) => q.sessionId);
		await vi.waitFor(async () => expect((await outboxOf(started.sessionId))[0]?.attempts).toBe(1));
		expect(await queue()).not.toContain(started.sessionId);
		await nextTry(started.sessionId);
		await nextTry(started.sessionId);
		expect(await queue()).toContain(started.sessionId);
		expect((await (await api(`/api/cases/${started.caseId}`)).json<{ session: { status: string } }>()).session.status).toBe("waiting");
		expect(delivered.map((c) => c.status)).toEqual(["waiting"]);
		expect(await outboxOf(started.sessionId)).toEqual([]);
	});

	it("hears only the newest status when changes pile up while it is down", async () => {
		const started = await newSession();
		let down = true;
		const delivered: SessionChange[] = [];
		await withPorts(started.sessionId, (ports) => {
			const real = ports.reportToDirectory;
			return {
				reportToDirectory: async (change: SessionChange) => {
					if (down) throw new Error("directory is down");
					delivered.push(change);
					return real(change);
				},
			};
		});
		await joinAsCustomer(started);
		const agentJoin = api(`/api/sessions/${started.sessionId}/agent`, { method: "POST", body: "{}" });
		// The agent's join waits for its report; the directory comes back meanwhile.
		await vi.waitFor(async () => expect((await outboxOf(started.sessionId))[0]?.attempts).toBe(1));
		down = false;
		await nextTry(started.sessionId);
		expect((await agentJoin).status).toBe(200);
		expect(delivered.map((c) => c.status)).toEqual(["active"]);
		expect((await (await api(`/api/cases/${started.caseId}`)).json<{ session: { status: string } }>()).session.status).toBe("active");
	});
});

describe("a record from before the outbox", () => {
	it("has the retries it kept itself carried out: the transcript R2 had refused, the report not yet confirmed", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" });
		await env.ARCHIVE.delete(transcriptKey(started.caseId, started.sessionId));
		const stub = sessionStub(started.sessionId);
		// As the object at 3201910 left it after R2 refused: retry fields in the record, nothing in an outbox.
		await evictDurableObject(stub);
		await runInDurableObject(stub, (_i: ChatSession, state) => {
			const { json } = state.storage.sql.exec<{ json: string }>("SELECT json FROM session").one();
			const legacy = { ...JSON.parse(json), transcriptWritten: false, transcriptRetryAt: Date.now() - 1, reportRetryAt: Date.now() - 1, reportRetries: 0, reportChangedAt: Date.now() };
			state.storage.sql.exec("UPDATE session SET json = ?", JSON.stringify(legacy));
			state.storage.sql.exec("DELETE FROM outbox");
		});
		await evictDurableObject(stub);
		expect((await outboxOf(started.sessionId)).map((r) => r.effect).sort()).toEqual(["report", "transcript"]);
		await runDurableObjectAlarm(stub);
		await vi.waitFor(async () => expect(await outboxOf(started.sessionId)).toEqual([]));
		expect(await env.ARCHIVE.head(transcriptKey(started.caseId, started.sessionId))).not.toBeNull();
		expect(await storedRecord(started.sessionId)).not.toHaveProperty("transcriptWritten");
	});
});

describe("the outbox when nothing fails", () => {
	it("is empty once a whole chat has run: join, talk, leave, come back, resolve", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		customer.say("c1", "hello");
		await agent.until(() => agent.messages().includes("hello"), "the message");
		agent.send({ type: "leave" });
		await customer.until(() => customer.events.some((e) => e.type === "agent_away"), "agent_away");
		customer.say("c2", "Hey, I'm back");
		await customer.until(() => customer.events.some((e) => e.type === "customer_returned"), "customer_returned");
		customer.send({ type: "resolve" });
		await customer.untilClosed();
		await vi.waitFor(async () => expect(await outboxOf(started.sessionId)).toEqual([]));
		expect(await env.ARCHIVE.head(transcriptKey(started.caseId, started.sessionId))).not.toBeNull();
		expect((await (await api(`/api/cases/${started.caseId}`)).json<{ status: string }>()).status).toBe("resolved");
	});
});
