/**
 * The message path as it is built for speed and cost: one statement and one row written per new
 * message (a resend is found by the ids the log holds in memory), and a socket list kept between
 * messages. These tests pin down that the short cuts change nothing a user can see.
 */
import { RegExpRouter } from "hono/router/reg-exp-router";
import { describe, expect, it } from "vitest";
import { app } from "../../src/routes/app";
import type { Joined } from "../../src/shared/api";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { TestClient, api, joinAsAgent, joinAsCustomer, newSession, post, sessionStub } from "./helpers";

async function chat() {
	const started = await newSession();
	const customerJoin = await joinAsCustomer(started);
	const customer = await TestClient.connect(customerJoin);
	const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
	return { started, customerJoin, customer, agent };
}

describe("the message path", () => {
	it("stores a new message with one statement writing one row and no transaction around it; a resend and a socket coming back write nothing", async () => {
		const { started, customerJoin, customer, agent } = await chat();
		customer.say("warm-up", "first");
		await agent.until(() => agent.messages().includes("first"), "the first message");
		const counts = { statements: [] as string[], rowsWritten: [] as number[], transactions: 0 };
		await runInDurableObject(sessionStub(started.sessionId), (_instance, state) => {
			const sql = state.storage.sql;
			const exec = sql.exec.bind(sql);
			const transactionSync = state.storage.transactionSync.bind(state.storage);
			Object.assign(sql, {
				exec: (query: string, ...bindings: unknown[]) => {
					counts.statements.push(query);
					const cursor = exec(query, ...bindings);
					// Read once the caller is done with it: rows written, as the platform bills them (an index's row included).
					queueMicrotask(() => counts.rowsWritten.push(cursor.rowsWritten));
					return cursor;
				},
			});
			Object.assign(state.storage, { transactionSync: <T>(run: () => T) => (counts.transactions++, transactionSync(run)) });
		});
		customer.say("plain", "a plain message");
		await agent.until(() => agent.messages().includes("a plain message"), "the message");
		await customer.stored("plain");
		expect(counts.statements).toHaveLength(1);
		expect(counts.statements[0]).toMatch(/^INSERT INTO events/);
		expect(counts.rowsWritten).toEqual([1]);
		expect(counts.transactions).toBe(0);
		// A resend of it is found without storage and changes nothing.
		customer.say("plain", "a plain message");
		await customer.until(() => customer.frames.some((f) => f.type === "ack" && f.clientId === "plain" && f.duplicate), "the resend's ack");
		expect(counts.statements).toHaveLength(1);
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

	it("drops the id index a session stored before kept, once it wakes, and still finds a resend from before the wake", async () => {
		const { started, customer, agent } = await chat();
		customer.say("early", "before the wake");
		await agent.until(() => agent.messages().includes("before the wake"), "the first message");
		const indexes = () =>
			runInDurableObject(sessionStub(started.sessionId), (_instance, state) =>
				state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").toArray().map((row) => row.name),
			);
		// As sessions were stored before the ids moved into memory.
		await runInDurableObject(sessionStub(started.sessionId), (_instance, state) => {
			state.storage.sql.exec("CREATE UNIQUE INDEX events_by_client_id ON events (actor_id, client_id) WHERE client_id IS NOT NULL");
		});
		expect(await indexes()).toEqual(["events_by_client_id"]);
		await evictDurableObject(sessionStub(started.sessionId));
		const from = customer.frames.length;
		customer.say("early", "before the wake");
		expect(await customer.frameOf("ack", from)).toMatchObject({ clientId: "early", duplicate: true });
		expect(await indexes()).toEqual([]);
		customer.say("late", "after the wake");
		await agent.until(() => agent.messages().includes("after the wake"), "the message after the wake");
		expect(agent.messages()).toEqual(["before the wake", "after the wake"]);
	});

	it("refuses a flood beyond the burst, stores nothing it refused, and still acknowledges a resend", async () => {
		const { customer, agent } = await chat();
		// Well past the burst of 60, so that the refill while they arrive cannot absorb it.
		const sent = Array.from({ length: 150 }, (_, i) => `flood-${i}`);
		for (const id of sent) customer.say(id, `message ${id}`);
		// Each one is answered: stored (its own event comes back) or refused (an error naming it).
		const accepted = () => customer.events.flatMap((e) => (e.type === "message" && sent.includes(e.clientId) ? [e] : []));
		const refused = () => customer.frames.flatMap((f) => (f.type === "error" && f.code === "rate_limited" && f.clientId !== undefined ? [f.clientId] : []));
		await customer.until(() => accepted().length + refused().length === sent.length, "an answer to every message");
		expect(refused().length).toBeGreaterThan(0);
		expect(new Set([...accepted().map((e) => e.clientId), ...refused()]).size).toBe(sent.length);

		// Still limited: a resend of a stored message is acknowledged, not refused.
		const first = accepted()[0]!;
		const from = customer.frames.length;
		customer.say(first.clientId, "again");
		const again = await customer.until(() => customer.frames.slice(from).find((f) => (f.type === "ack" || f.type === "error") && f.clientId === first.clientId), "the resend's answer");
		expect(again).toEqual({ type: "ack", clientId: first.clientId, seq: first.seq, duplicate: true });

		agent.say("marker", "marker");
		await agent.until(() => agent.messages().includes("marker"), "the marker");
		const stored = agent.events.flatMap((e) => (e.type === "message" && e.actor?.role === "customer" ? [e.clientId] : []));
		expect(stored).toEqual(accepted().map((a) => a.clientId));
		const seqs = agent.events.map((e) => e.seq);
		expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
	});

	it("does not count a resend as the customer coming back after the agent left", async () => {
		const { started, customer, agent } = await chat();
		customer.say("old", "before the agent left");
		await customer.stored("old");
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
