/** An agent reissues the invite link: the old one dies, and so do the sockets that came in by it. */
import { describe, expect, it } from "vitest";
import type { Joined } from "../../src/shared/api";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, post } from "./helpers";

const tokenOf = (url: string) => new URL(url).hash.replace("#invite=", "");
const reissue = async (sessionId: string) => post<{ inviteUrl: string }>(`/api/sessions/${sessionId}/invite-link`, {}, 200);

describe("reissuing the invite link", () => {
	it("refuses the old link, closes the device that came in by it, and lets the new link in", async () => {
		const started = await newSession();
		const byLink = await post<Joined>("/api/join", { inviteToken: tokenOf(started.inviteUrl) }, 200, false);
		const linked = await TestClient.connect(byLink);
		await linked.frameOf("state");
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));

		const { inviteUrl } = await reissue(started.sessionId);
		expect(inviteUrl).not.toBe(started.inviteUrl);
		expect(await linked.untilClosed()).toEqual({ code: 1008, reason: "this link was replaced" });

		const old = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: tokenOf(started.inviteUrl) }) });
		expect(old.status).toBe(410);
		expect(await old.json()).toEqual({ error: "this link was replaced by a newer one: ask your support agent for the new link" });

		const back = await post<Joined>("/api/join", { inviteToken: tokenOf(inviteUrl) }, 200, false);
		expect(back.resumeUrl).toBe(inviteUrl);
		const again = await TestClient.connect(back);
		again.say("hi", "on the new link");
		await agent.until(() => agent.messages().includes("on the new link"), "the message");
		// A second reissue moves on again: the link of the first reissue dies too.
		const third = await reissue(started.sessionId);
		expect(await again.untilClosed()).toMatchObject({ code: 1008 });
		expect((await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: tokenOf(inviteUrl) }) })).status).toBe(410);
		expect((await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: tokenOf(third.inviteUrl) }) })).status).toBe(200);
	});

	it("leaves a customer who came in by the key connected", async () => {
		const started = await newSession();
		const byKey = await TestClient.connect(await joinAsCustomer(started));
		await byKey.frameOf("state");
		await reissue(started.sessionId);
		byKey.say("still", "still here");
		expect(await byKey.stored("still")).toMatchObject({ clientId: "still", text: "still here" });
		expect(byKey.closed).toBeNull();
	});

	it("is for agents only, and not once the chat has ended", async () => {
		const started = await newSession();
		expect((await api(`/api/sessions/${started.sessionId}/invite-link`, { method: "POST", agent: false, body: "{}" })).status).toBe(401);
		await api(`/api/sessions/${started.sessionId}/end`, { method: "POST" });
		const ended = await api(`/api/sessions/${started.sessionId}/invite-link`, { method: "POST", body: "{}" });
		expect(ended.status).toBe(409);
		expect((await ended.json<{ error: string }>()).error.length).toBeGreaterThan(0);
	});
});
