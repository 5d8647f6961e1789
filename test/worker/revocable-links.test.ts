/** Every link can be taken back by whoever made it or an agent; revoking it closes the devices that came in by it, and only those. */
import { describe, expect, it } from "vitest";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, openSocket, timePasses } from "./helpers";
import { asWho, joinByLink, makeLink, peopleOf, tokenOf } from "./member-helpers";
import type { Joined } from "../../src/shared/api";

describe("a link to continue on another device", () => {
	it("lets the customer in on a second device; revoking it closes that device only and refuses the link and the device's token", async () => {
		const started = await newSession();
		const firstJoin = await joinAsCustomer(started);
		const first = await TestClient.connect(firstJoin);
		await first.frameOf("state");
		const made = await makeLink(firstJoin, started.sessionId, { kind: "device" });
		expect(made.link).toMatchObject({ kind: "device", participantId: "customer", madeBy: "customer", state: "live" });
		expect(made.link.expiresAt - made.link.createdAt).toBe(3600_000);

		const secondJoin = await joinByLink(made.url);
		expect(secondJoin).toMatchObject({ participantId: "customer", role: "customer", resumeUrl: made.url });
		const second = await TestClient.connect(secondJoin);
		expect((await second.frameOf("state")).you.id).toBe("customer");
		const listed = await peopleOf(firstJoin, started.sessionId);
		expect(listed.people.find((p) => p.id === "customer")?.devices.map((d) => d.linkId)).toEqual([null, made.link.linkId]);

		const revoked = await asWho(firstJoin, `/api/sessions/${started.sessionId}/links/${made.link.linkId}/revoke`, "POST");
		expect(revoked.status).toBe(200);
		expect((await revoked.json<{ state: string }>()).state).toBe("revoked");
		expect(await second.untilClosed()).toEqual({ code: 1008, reason: "this link was revoked" });
		expect(second.frames.at(-1)).toMatchObject({ type: "error", code: "forbidden" });
		expect((await openSocket(secondJoin)).status).toBe(403);
		const again = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: tokenOf(made.url) }) });
		expect(again.status).toBe(410);
		expect(await again.json()).toEqual({ error: "this link was revoked: ask whoever sent it for a new one" });

		// The first device is untouched.
		first.say("still", "still here");
		expect(await first.stored("still")).toMatchObject({ clientId: "still", text: "still here" });
		expect(first.closed).toBeNull();
		first.close();
	});
});

describe("revoking an invite", () => {
	it("is for its maker or an agent: a colleague cannot revoke the customer's invite, an agent can, and the colleague's socket closes", async () => {
		const started = await newSession();
		const customerJoin = await joinAsCustomer(started);
		const made = await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Sam" });
		const other = await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Kim" });
		const samJoin = await joinByLink(made.url);
		const sam = await TestClient.connect(samJoin);
		await sam.frameOf("state");
		expect((await asWho(samJoin, `/api/sessions/${started.sessionId}/links/${other.link.linkId}/revoke`, "POST")).status).toBe(403);
		const asSam = await peopleOf(samJoin, started.sessionId);
		expect(asSam.links.find((l) => l.linkId === other.link.linkId)?.revocable).toBe(false);

		expect((await asWho("agent", `/api/sessions/${started.sessionId}/links/${made.link.linkId}/revoke`, "POST")).status).toBe(200);
		expect(await sam.untilClosed()).toEqual({ code: 1008, reason: "this link was revoked" });
		expect((await openSocket(samJoin)).status).toBe(403);
		expect((await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: tokenOf(made.url) }) })).status).toBe(410);
		expect((await asWho("agent", `/api/sessions/${started.sessionId}/links/nosuchlinknosuchlink00/revoke`, "POST")).status).toBe(404);
	});

	it("expires: an invite is good for a day at most, then refused", async () => {
		const started = await newSession();
		const customerJoin = await joinAsCustomer(started);
		const made = await makeLink(customerJoin, started.sessionId, { kind: "invite", role: "member", name: "Sam" });
		expect(made.link.expiresAt - made.link.createdAt).toBe(24 * 3600_000);
		await timePasses(started.sessionId, 24 * 3600_000 + 1000);
		const late = await api("/api/join", { method: "POST", agent: false, body: JSON.stringify({ inviteToken: tokenOf(made.url) }) });
		expect(late.status).toBe(410);
		expect(await late.json()).toEqual({ error: "this link has expired: ask whoever sent it for a new one" });
	});

	it("refuses bad requests with a clear error", async () => {
		const started = await newSession();
		const customerJoin = await joinAsCustomer(started);
		expect((await asWho(customerJoin, `/api/sessions/${started.sessionId}/links`, "POST", { kind: "invite", role: "member" })).status).toBe(422);
		expect((await asWho(customerJoin, `/api/sessions/${started.sessionId}/links`, "POST", { kind: "invite", role: "agent", name: "X" })).status).toBe(422);
		expect((await api(`/api/sessions/${started.sessionId}/people`, { agent: false })).status).toBe(401);
		const agentJoin: Joined = await joinAsAgent(started.sessionId);
		// Agents come in from the console; a device link is for people who came by a link or a key.
		expect((await asWho(agentJoin, `/api/sessions/${started.sessionId}/links`, "POST", { kind: "device" })).status).toBe(403);
	});
});
