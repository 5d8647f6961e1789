import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/shared/api";
import { TestClient, api, joinAsAgent, joinAsCustomer, newCase, newSession } from "./helpers";

async function caseOf(caseId: string): Promise<CaseRecord> {
	return (await api(`/api/cases/${caseId}`)).json<CaseRecord>();
}

describe("ending and resolving are different things", () => {
	it("resolves the case after its chat was ended", async () => {
		const started = await newSession();
		expect((await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" })).status).toBe(200);
		expect(await caseOf(started.caseId)).toMatchObject({ status: "open", session: { status: "ended" } });
		const resolved = await api(`/api/sessions/${started.sessionId}/resolve`, { method: "POST" });
		expect(resolved.status).toBe(200);
		expect(await caseOf(started.caseId)).toMatchObject({ status: "resolved", session: { status: "ended" } });
	});

	it("ends a live chat for everyone when its case is resolved from the case list", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		const response = await api(`/api/cases/${started.caseId}/resolve`, { method: "POST" });
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ caseId: started.caseId, status: "resolved", session: { status: "resolved" } });
		for (const client of [customer, agent]) {
			await client.untilClosed();
			expect(client.events.slice(-2).map((e) => e.type)).toEqual(["case_resolved", "chat_ended"]);
		}
	});

	it("resolves a case that never had a chat, and refuses new chats on it", async () => {
		const created = await newCase("Answered by phone");
		expect((await api(`/api/cases/${created.caseId}/resolve`, { method: "POST" })).status).toBe(200);
		expect((await caseOf(created.caseId)).status).toBe("resolved");
		const again = await api(`/api/cases/${created.caseId}/sessions`, { method: "POST" });
		expect(again.status).toBe(409);
		expect((await api("/api/cases/case-0000000001/resolve", { method: "POST" })).status).toBe(404);
	});

	it("ends the chat through the HTTP route with a system event and closed sockets", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" });
		await customer.untilClosed();
		expect(customer.events.at(-1)).toMatchObject({ type: "chat_ended", reason: "ended_by_agent", actor: { role: "agent", name: "dev-agent" } });
	});
});
