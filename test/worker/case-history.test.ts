/** A case keeps its chats: its history lists each with its transcript, or its log while that is not written. */
import { describe, expect, it } from "vitest";
import type { StartedSession } from "../../src/shared/api";
import type { CaseHistory } from "../../src/shared/transfer";
import { TranscriptSchema } from "../../src/shared/transcript";
import { TestClient, api, joinAsAgent, joinAsCustomer, newCase, post } from "./helpers";

const startSession = (caseId: string) => post<StartedSession>(`/api/cases/${caseId}/sessions`, {}, 201);

describe("a case's history", () => {
	it("lists its earlier chats, oldest first, each readable from its transcript, and the live one from its log", async () => {
		const created = await newCase();
		const first = await startSession(created.caseId);
		const customer = await TestClient.connect(await joinAsCustomer(first));
		const agent = await TestClient.connect(await joinAsAgent(first.sessionId));
		customer.say("c-1", "The printer is smoking");
		agent.say("a-1", "Unplug it, please");
		await customer.until(() => customer.messages().length === 2, "both messages");
		expect((await api(`/api/sessions/${first.sessionId}/end`, { method: "POST" })).status).toBe(200);

		const second = await startSession(created.caseId);
		const returning = await TestClient.connect(await joinAsCustomer(second));
		returning.say("c-2", "It is smoking again");
		await returning.stored("c-2");

		const answer = await api(`/api/cases/${created.caseId}/history`);
		expect(answer.status).toBe(200);
		const history = await answer.json<CaseHistory>();
		expect(history.caseId).toBe(created.caseId);
		expect(history.sessions).toEqual([
			expect.objectContaining({ sessionId: first.sessionId, status: "ended", endReason: "ended_by_agent", agents: ["dev-agent"], messages: 2, transcript: true }),
			expect.objectContaining({ sessionId: second.sessionId, status: "waiting", endReason: null, agents: [], messages: 1, transcript: false }),
		]);
		const [earlier] = history.sessions;
		expect(earlier?.startedAt).toBeTypeOf("number");
		expect(earlier?.endedAt).toBeGreaterThanOrEqual(earlier?.startedAt ?? Number.POSITIVE_INFINITY);

		// Expanded in the console: the ended chat from its transcript, the live one from its log.
		const transcript = TranscriptSchema.parse(await (await api(`/api/sessions/${first.sessionId}/transcript`)).json());
		expect(transcript.events.flatMap((e) => (e.type === "message" ? [e.text] : []))).toEqual(["The printer is smoking", "Unplug it, please"]);
		const log = await api(`/api/sessions/${second.sessionId}/log`);
		expect(log.status).toBe(200);
		const live = TranscriptSchema.parse(await log.json());
		expect(live).toMatchObject({ sessionId: second.sessionId, status: "waiting", endedAt: null });
		expect(live.events.flatMap((e) => (e.type === "message" ? [e.text] : []))).toEqual(["It is smoking again"]);
	});

	it("is the agents' alone, and says so for a case that does not exist", async () => {
		const created = await newCase();
		const started = await startSession(created.caseId);
		const joined = await joinAsCustomer(started);
		expect((await api(`/api/cases/${created.caseId}/history`, { agent: false })).status).toBe(401);
		expect((await api(`/api/sessions/${started.sessionId}/log`, { agent: false, headers: { Authorization: `Bearer ${joined.token}` } })).status).toBe(401);
		const missing = await api("/api/cases/case-0000000000/history");
		expect(missing.status).toBe(404);
		expect(await missing.json()).toEqual({ error: "no such case" });
	});
});
