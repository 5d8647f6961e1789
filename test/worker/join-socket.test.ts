/** An invite link joined on the socket (GET /api/join/ws): the join's answer, then the chat on the same socket; a refusal, then the close. */
import { listDurableObjectIds } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Joined } from "../../src/shared/api";
import { JoinedSchema } from "../../src/shared/api";
import { readConfig } from "../../src/config";
import { readInviteToken } from "../../src/security/invite-token";
import { REFUSALS } from "../../src/shared/refusals";
import { joinProtocols } from "../../src/shared/socket-auth";
import { ORIGIN, TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";
import { asWho, makeLink, tokenOf } from "./member-helpers";

function upgrade(headers: Record<string, string>): Promise<Response> {
	return exports.default.fetch(new Request(`${ORIGIN}/api/join/ws`, { headers: { Upgrade: "websocket", ...headers } }));
}

describe("joining by an invite link on the socket", () => {
	it("answers as POST /api/join would, then runs the chat on the same socket", async () => {
		const started = await newSession();
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		await agent.frameOf("state");
		const customer = await TestClient.joinOnSocket(tokenOf(started.inviteUrl));
		const answer = await customer.frameOf("join");
		expect(answer).toMatchObject({ status: 200, retryAfterSeconds: null });
		const joined: Joined = JoinedSchema.parse(answer.answer);
		expect(joined).toMatchObject({ sessionId: started.sessionId, caseId: started.caseId, participantId: "customer", role: "customer", resumeUrl: started.inviteUrl });
		// The answer comes first, then the chat's state for the one who joined.
		const state = await customer.frameOf("state");
		expect(customer.frames.map((f) => f.type).slice(0, 2)).toEqual(["join", "state"]);
		expect(state.you).toEqual({ id: "customer", role: "customer", name: "Dana" });
		await agent.until(() => agent.events.some((e) => e.type === "joined" && e.actor?.id === "customer"), "the customer's arrival");

		customer.say("c1", "hello from the link");
		expect(await customer.stored("c1")).toMatchObject({ clientId: "c1", text: "hello from the link" });
		await agent.until(() => agent.messages().includes("hello from the link"), "the message at the agent");

		// The answer's token is the one to come back with: a second socket from where the first left off.
		customer.close();
		const back = await TestClient.connect(joined, 0);
		expect((await back.frameOf("state")).you.id).toBe("customer");
		await back.until(() => back.messages().includes("hello from the link"), "the history on the way back");
		expect(back.frames.some((f) => f.type === "join")).toBe(false);
		back.close();
		agent.close();
	});

	it("joins a link to continue on another device as that device, and a revoked one not at all", async () => {
		const started = await newSession();
		const first = await joinAsCustomer(started);
		const made = await makeLink(first, started.sessionId, { kind: "device" });
		const second = await TestClient.joinOnSocket(tokenOf(made.url));
		const answer = JoinedSchema.parse((await second.frameOf("join")).answer);
		expect(answer).toMatchObject({ participantId: "customer", role: "customer", resumeUrl: made.url });
		expect((await second.frameOf("state")).you.id).toBe("customer");
		second.close();
		const revoked = await asWho(first, `/api/sessions/${started.sessionId}/links/${made.link.linkId}/revoke`, "POST");
		expect(revoked.status).toBe(200);
		const again = await TestClient.joinOnSocket(tokenOf(made.url));
		expect(await again.frameOf("join")).toMatchObject({ status: 410, answer: { error: REFUSALS.link_revoked.error } });
		await again.untilClosed();
	});

	it("passes nothing of the client's own headers to the session: a forged participant or link is not taken", async () => {
		const started = await newSession();
		// A real secret, but another session's: passed through on the join socket, it would be refused
		// as a replaced link; on the chat's socket, the session would admit on the link's own.
		const keys = readConfig(env).keys.inviteLinks;
		const other = await readInviteToken(keys, tokenOf((await newSession()).inviteUrl));
		const link = await readInviteToken(keys, tokenOf(started.inviteUrl));
		if (!link || !other) throw new Error("a session's own link does not read");
		const forgedActor = JSON.stringify({ id: "agent:dev", role: "agent", name: "Mallory", deviceId: "x" });
		const customer = await TestClient.joinOnSocket(tokenOf(started.inviteUrl), { "x-chat-actor": forgedActor, "x-chat-join-link": other.secret });
		const answer = await customer.frameOf("join");
		expect(JoinedSchema.parse(answer.answer).participantId).toBe("customer");
		expect((await customer.frameOf("state")).you).toEqual({ id: "customer", role: "customer", name: "Dana" });
		expect(customer.frames.filter((f) => f.type === "join")).toHaveLength(1);
		customer.close();
		const forged = { "x-chat-actor": forgedActor, "x-chat-join-link": link.secret };
		// The chat's own socket refuses a missing token, whatever else the request says…
		const bare = await exports.default.fetch(new Request(`${ORIGIN}/api/sessions/${started.sessionId}/ws`, { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "support-chat.v1", ...forged } }));
		expect(bare.status).toBe(401);
		// …and with one, opens as that token's participant: no second admission, no join answer.
		const back = await TestClient.connect(JoinedSchema.parse(answer.answer), 0, forged);
		expect((await back.frameOf("state")).you.id).toBe("customer");
		expect(back.frames.some((f) => f.type === "join")).toBe(false);
		back.close();
	});

	it("refuses a link whose chat is over with the refusal POST would give, then closes", async () => {
		const started = await newSession();
		expect((await api(`/api/sessions/${started.sessionId}/resolve`, { method: "POST" })).status).toBe(200);
		const customer = await TestClient.joinOnSocket(tokenOf(started.inviteUrl));
		expect(await customer.frameOf("join")).toEqual({ type: "join", status: 410, answer: { error: REFUSALS.resolved.error }, retryAfterSeconds: null });
		expect(await customer.untilClosed()).toEqual({ code: 1000, reason: "join refused" });
		expect(customer.frames).toHaveLength(1);
	});

	it("counts a forged link as a wrong guess that reaches no session, and stops the address with 429 and when to try again", async () => {
		const before = (await listDurableObjectIds(env.SESSIONS)).length;
		const forged = `${"B".repeat(22)}${"C".repeat(44)}`;
		const address = { "CF-Connecting-IP": "198.51.100.77" };
		const answers = [];
		for (let i = 0; i < 11; i++) {
			const guess = await TestClient.joinOnSocket(forged, address);
			answers.push(await guess.frameOf("join"));
			await guess.untilClosed();
		}
		expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(404));
		expect(answers[0]?.answer).toEqual({ error: REFUSALS.unknown.error });
		expect(answers[10]).toMatchObject({ status: 429, answer: { error: "too many wrong keys from this address: try again later" } });
		expect(answers[10]?.retryAfterSeconds).toBeGreaterThan(0);
		expect((await listDurableObjectIds(env.SESSIONS)).length).toBe(before);
	});

	it("answers a malformed link with 422 on the socket, and refuses before upgrading without a link, from a foreign page or without an upgrade", async () => {
		const malformed = await TestClient.joinOnSocket("not-a-token");
		expect(await malformed.frameOf("join")).toMatchObject({ status: 422, answer: { error: "not an invite token" } });
		await malformed.untilClosed();

		const started = await newSession();
		const token = tokenOf(started.inviteUrl);
		const none = await upgrade({ "Sec-WebSocket-Protocol": "support-chat.v1" });
		expect(none.status).toBe(401);
		expect(await none.json()).toEqual({ error: 'an invite token is required, offered as the subprotocol "invite.<token>" next to "support-chat.v1"' });
		const foreign = await upgrade({ "Sec-WebSocket-Protocol": joinProtocols(token).join(", "), Origin: "https://evil.example" });
		expect(foreign.status).toBe(403);
		const plain = await api("/api/join/ws", { agent: false });
		expect(plain.status).toBe(426);
		// None of them reached the session: the link still joins.
		const customer = await TestClient.joinOnSocket(token);
		expect((await customer.frameOf("join")).status).toBe(200);
		customer.close();
	});
});
