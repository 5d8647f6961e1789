/** A case with more than one session: resolving it ends them all, and a new session retires an unused key. */
import { describe, expect, it, vi } from "vitest";
import type { SessionState } from "../../src/shared/protocol";
import type { StartedSession } from "../../src/shared/api";
import { TestClient, api, joinAsCustomer, newCase, post } from "./helpers";

const startSession = (caseId: string) => post<StartedSession>(`/api/cases/${caseId}/sessions`, {}, 201);
const stateOf = async (sessionId: string) => (await api(`/api/sessions/${sessionId}`)).json<SessionState>();
const queued = async () => (await (await api("/api/queue")).json<{ queue: { sessionId: string }[] }>()).queue.map((q) => q.sessionId);
const joinBy = (body: unknown) => api("/api/join", { method: "POST", agent: false, body: JSON.stringify(body) });

describe("resolving a case with two sessions", () => {
	it("from the case list ends both: the one the customer waits in leaves the queue, and its customer is told", async () => {
		const created = await newCase();
		const a = await startSession(created.caseId);
		const customer = await TestClient.connect(await joinAsCustomer(a));
		await vi.waitFor(async () => expect(await queued()).toContain(a.sessionId));
		const b = await startSession(created.caseId);

		const resolved = await api(`/api/cases/${created.caseId}/resolve`, { method: "POST" });
		expect(resolved.status).toBe(200);
		expect(await resolved.json()).toMatchObject({ status: "resolved" });
		expect((await stateOf(a.sessionId)).status).toBe("resolved");
		expect((await stateOf(b.sessionId)).status).toBe("resolved");
		await customer.untilClosed();
		expect(customer.events.at(-1)).toMatchObject({ type: "chat_ended", reason: "resolved" });
		await vi.waitFor(async () => expect(await queued()).not.toContain(a.sessionId));
	});

	it("from inside one chat (/resolve) ends the case's other live session too", async () => {
		const created = await newCase();
		const a = await startSession(created.caseId);
		const first = await TestClient.connect(await joinAsCustomer(a));
		const b = await startSession(created.caseId);
		const second = await TestClient.connect(await joinAsCustomer(b));
		await second.frameOf("state");
		first.send({ type: "resolve" });
		await first.untilClosed();
		await second.untilClosed();
		expect(second.events.at(-1)).toMatchObject({ type: "chat_ended", reason: "resolved" });
		expect((await stateOf(b.sessionId)).status).toBe("resolved");
	});
});

describe("a new session on a case", () => {
	it("retires the earlier session's unused key and link, says so to the agent, and its own key works", async () => {
		const created = await newCase();
		const a = await startSession(created.caseId);
		const b = await startSession(created.caseId);
		expect(b.replacedSessions).toEqual([a.sessionId]);

		for (const body of [{ supportKey: a.supportKey }, { inviteToken: new URL(a.inviteUrl).hash.slice(8) }]) {
			const refused = await joinBy(body);
			expect(refused.status).toBe(410);
			expect(await refused.json()).toEqual({ error: "this support key was replaced by a newer one: use the latest link or key your support agent sent" });
		}
		expect(await stateOf(a.sessionId)).toMatchObject({ status: "expired", endReason: "key_replaced" });
		expect((await joinBy({ supportKey: b.supportKey })).status).toBe(200);
	});

	it("leaves an earlier session alone once its customer is in", async () => {
		const created = await newCase();
		const a = await startSession(created.caseId);
		await joinAsCustomer(a);
		const b = await startSession(created.caseId);
		expect(b.replacedSessions).toEqual([]);
		expect((await stateOf(a.sessionId)).status).toBe("waiting");
	});
});
