import { describe, expect, it } from "vitest";
import { TranscriptSchema } from "../../src/shared/transcript";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";

describe("the transcript format", () => {
	it("is what the console's schema expects, events included", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await customer.frameOf("state");
		await joinAsAgent(started.sessionId);
		customer.say("c-1", "<b>not bold</b>");
		await customer.until(() => customer.messages().length === 1, "the message");
		expect((await api(`/api/sessions/${started.sessionId}/resolve`, { method: "POST" })).status).toBe(200);

		const response = await api(`/api/sessions/${started.sessionId}/transcript`);
		expect(response.status).toBe(200);
		const parsed = TranscriptSchema.safeParse(await response.json());
		if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
		expect(parsed.data).toMatchObject({ sessionId: started.sessionId, status: "resolved", endReason: "resolved", case: { caseId: started.caseId } });
		expect(parsed.data.events.map((e) => e.type)).toEqual(["joined", "joined", "message", "case_resolved", "chat_ended"]);
		expect(parsed.data.participants.map((p) => p.role).sort()).toEqual(["agent", "customer"]);
	});
});
