import { describe, expect, it } from "vitest";
import { TestClient, api, joinAsAgent, newSession } from "./helpers";

function invite(sessionId: string, body: unknown, agent = true) {
	return api(`/api/sessions/${sessionId}/invites`, { method: "POST", body: JSON.stringify(body), agent });
}

describe("invites when nothing is configured (local dev)", () => {
	it("answers 503 naming the missing settings, and records nothing", async () => {
		const started = await newSession();
		const sms = await invite(started.sessionId, { channel: "sms", to: "+4915112345678" });
		expect(sms.status).toBe(503);
		expect(await sms.json()).toEqual({ error: "SMS invites are not configured: set SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM" });
		const email = await invite(started.sessionId, { channel: "email", to: "dana@example.com" });
		expect(email.status).toBe(503);
		expect(await email.json()).toEqual({ error: "Email invites are not configured: set EMAIL_FROM" });

		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		await agent.until(() => agent.events.length > 0, "the replay");
		expect(agent.events.map((e) => e.type)).toEqual(["joined"]);
	});
});

describe("invite validation", () => {
	it("rejects bad recipients and channels with 422 saying what is wrong", async () => {
		const started = await newSession();
		const cases: [unknown, string][] = [
			[{ channel: "sms", to: "0151 12345678" }, "E.164"],
			[{ channel: "sms", to: "+0123" }, "E.164"],
			[{ channel: "email", to: "dana@" }, "email address"],
			[{ channel: "pigeon", to: "roof" }, "channel"],
			[{ channel: "sms" }, "to"],
		];
		for (const [body, mention] of cases) {
			const response = await invite(started.sessionId, body);
			expect(response.status, JSON.stringify(body)).toBe(422);
			expect((await response.json<{ error: string }>()).error).toContain(mention);
		}
	});

	it("needs an agent, a known session and a chat that has not ended", async () => {
		const started = await newSession();
		expect((await invite(started.sessionId, { channel: "sms", to: "+4915112345678" }, false)).status).toBe(401);
		expect((await invite("AAAAAAAAAAAAAAAAAAAAAA", { channel: "sms", to: "+4915112345678" })).status).toBe(404);
		await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" });
		const ended = await invite(started.sessionId, { channel: "sms", to: "+4915112345678" });
		expect(ended.status).toBe(410);
		expect(await ended.json()).toEqual({ error: "this chat has ended: start a new session to invite someone" });
	});
});
