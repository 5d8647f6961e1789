/**
 * The message path as it is built for speed: one statement per new message (a resend is found by
 * the insert itself), and a socket list kept between messages. These tests pin down that the short
 * cuts change nothing a user can see.
 */
import { RegExpRouter } from "hono/router/reg-exp-router";
import { describe, expect, it } from "vitest";
import { app } from "../../src/routes/app";
import type { Joined } from "../../src/shared/api";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, post } from "./helpers";

async function chat() {
	const started = await newSession();
	const customerJoin = await joinAsCustomer(started);
	const customer = await TestClient.connect(customerJoin);
	const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
	return { started, customerJoin, customer, agent };
}

describe("the message path", () => {
	it("refuses a flood beyond the burst, stores nothing it refused, and still acknowledges a resend", async () => {
		const { customer, agent } = await chat();
		// Well past the burst of 60, so that the refill while they arrive cannot absorb it.
		const sent = Array.from({ length: 150 }, (_, i) => `flood-${i}`);
		for (const id of sent) customer.say(id, `message ${id}`);
		const answered = () => customer.frames.filter((f) => (f.type === "ack" || f.type === "error") && f.clientId !== undefined && sent.includes(f.clientId));
		await customer.until(() => answered().length === sent.length, "an answer to every message");
		const accepted = customer.frames.flatMap((f) => (f.type === "ack" && !f.duplicate ? [f] : []));
		const refused = customer.frames.flatMap((f) => (f.type === "error" && f.code === "rate_limited" ? [f.clientId] : []));
		expect(refused.length).toBeGreaterThan(0);
		expect(accepted.length + refused.length).toBe(sent.length);

		// Still limited: a resend of a stored message is acknowledged, not refused.
		const first = accepted[0]!;
		const from = customer.frames.length;
		customer.say(first.clientId, "again");
		const again = await customer.until(() => customer.frames.slice(from).find((f) => (f.type === "ack" || f.type === "error") && f.clientId === first.clientId), "the resend's answer");
		expect(again).toEqual({ type: "ack", clientId: first.clientId, seq: first.seq, duplicate: true });

		agent.say("marker", "marker");
		await agent.until(() => agent.messages().includes("marker"), "the marker");
		const stored = agent.events.flatMap((e) => (e.type === "message" && e.actor?.role === "customer" ? [e.clientId] : []));
		expect(stored).toEqual(accepted.map((a) => a.clientId));
		const seqs = agent.events.map((e) => e.seq);
		expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
	});

	it("does not count a resend as the customer coming back after the agent left", async () => {
		const { started, customer, agent } = await chat();
		customer.say("old", "before the agent left");
		await customer.frameOf("ack");
		agent.send({ type: "leave" });
		await customer.until(() => customer.events.find((e) => e.type === "agent_away"), "agent_away");
		const from = customer.frames.length;
		customer.say("old", "before the agent left");
		expect(await customer.frameOf("ack", from)).toMatchObject({ clientId: "old", duplicate: true });
		const waiting = await (await api(`/api/sessions/${started.sessionId}`)).json<{ deadlines: { agentWaitEndsAt: number | null } }>();
		expect(waiting.deadlines.agentWaitEndsAt).not.toBeNull();

		customer.say("new", "Hey, I'm back");
		await customer.until(() => customer.messages().includes("Hey, I'm back"), "the new message");
		const afterAway = customer.events.slice(customer.events.findIndex((e) => e.type === "agent_away") + 1);
		expect(afterAway.map((e) => e.type)).toEqual(["customer_returned", "message"]);
	});

	it("fans out live to a socket that opened after messages flowed, and past one that closed", async () => {
		const { started, customer, agent } = await chat();
		customer.say("c1", "one");
		await agent.until(() => agent.messages().length === 1, "the first message");
		const inviteToken = new URL(started.inviteUrl).hash.replace("#invite=", "");
		const second = await TestClient.connect(await post<Joined>("/api/join", { inviteToken }, 200, false));
		await second.until(() => second.messages().length === 1, "the replay");
		agent.say("a1", "two");
		await second.until(() => second.messages().length === 2, "the live message on the new socket");

		second.close();
		await second.untilClosed();
		agent.say("a2", "three");
		for (const client of [customer, agent]) await client.until(() => client.messages().length === 3, "the message after a socket closed");
		expect(customer.messages()).toEqual(["one", "two", "three"]);
		expect(second.messages()).toEqual(["one", "two"]);
	});
});

describe("the Worker's routes", () => {
	it("fit Hono's RegExpRouter, which matches a request with one expression (one route that does not fit sends every request through the slower TrieRouter)", () => {
		const router = new RegExpRouter<number>();
		for (const [i, route] of app.routes.entries()) router.add(route.method, route.path, i);
		expect(router.match("POST", "/api/join")[0].length).toBeGreaterThan(0);
		expect(router.match("GET", "/api/teams/support")[0].length).toBeGreaterThan(0);
	});
});
