/**
 * The message path as it is built for speed: one statement per new message (a resend is found by
 * the insert itself), and a socket list kept between messages. These tests pin down that the short
 * cuts change nothing a user can see.
 */
import { RegExpRouter } from "hono/router/reg-exp-router";
import { describe, expect, it } from "vitest";
import { app } from "../../src/routes/app";
import type { Joined } from "../../src/shared/api";
import { runInDurableObject } from "cloudflare:test";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, post, sessionStub } from "./helpers";

async function chat() {
	const started = await newSession();
	const customerJoin = await joinAsCustomer(started);
	const customer = await TestClient.connect(customerJoin);
	const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
	return { started, customerJoin, customer, agent };
}

describe("the message path", () => {
	it("stores a new message with one statement and no transaction around it; a resend and a socket coming back write nothing", async () => {
		const { started, customerJoin, customer, agent } = await chat();
		customer.say("warm-up", "first");
		await agent.until(() => agent.messages().includes("first"), "the first message");
		const counts = { statements: [] as string[], transactions: 0 };
		await runInDurableObject(sessionStub(started.sessionId), (_instance, state) => {
			const sql = state.storage.sql;
			const exec = sql.exec.bind(sql);
			const transactionSync = state.storage.transactionSync.bind(state.storage);
			Object.assign(sql, { exec: (query: string, ...bindings: unknown[]) => (counts.statements.push(query), exec(query, ...bindings)) });
			Object.assign(state.storage, { transactionSync: <T>(run: () => T) => (counts.transactions++, transactionSync(run)) });
		});
		customer.say("plain", "a plain message");
		await agent.until(() => agent.messages().includes("a plain message"), "the message");
		await customer.until(() => customer.frames.some((f) => f.type === "ack" && f.clientId === "plain" && !f.duplicate), "the message's ack");
		expect(counts.statements).toHaveLength(1);
		expect(counts.statements[0]).toMatch(/^INSERT INTO events/);
		expect(counts.transactions).toBe(0);
		// A resend of it is found by that insert and changes nothing.
		customer.say("plain", "a plain message");
		await customer.until(() => customer.frames.some((f) => f.type === "ack" && f.clientId === "plain" && f.duplicate), "the resend's ack");
		expect(counts.transactions).toBe(0);
		agent.say("after", "after the resend");
		await agent.until(() => agent.messages().includes("after the resend"), "the agent's message");
		expect(agent.messages()).toEqual(["first", "a plain message", "after the resend"]);
		// Stored: a socket that comes back from the start replays it, once.
		const again = await TestClient.connect(customerJoin);
		await again.until(() => again.messages().includes("after the resend"), "the replay");
		expect(again.messages()).toEqual(["first", "a plain message", "after the resend"]);
		// Neither the resend nor the socket's return changed anything: no transaction for them.
		expect(counts.transactions).toBe(0);
	});

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
