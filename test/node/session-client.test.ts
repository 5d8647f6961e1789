import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenedSocket } from "../../src/client/session-client";
import { SessionClient } from "../../src/client/session-client";
import { socketProtocols } from "../../src/shared/socket-auth";
import type { CaseRecord, Joined, StartedSession } from "../../src/shared/api";
import type { DevServer } from "../support/dev-server";
import { startDevServer } from "../support/dev-server";
import { apiCall } from "../support/http";
import { Waiters } from "../support/waiters";
import { watch } from "../support/watch-client";

let server: DevServer;
beforeAll(async () => {
	server = await startDevServer();
});
afterAll(async () => {
	await server?.stop();
});

function call<T>(path: string, body: unknown, agent: boolean): Promise<T> {
	return apiCall<T>(server.url, path, { body, agent });
}

/** A socket opened as join.html opens one before the page's client exists, keeping what it receives. */
function openEarly(joined: Joined): OpenedSocket & { has(test: (frames: string[]) => boolean): Promise<void> } {
	const url = new URL(joined.webSocketPath, server.url.replace(/^http/, "ws"));
	url.searchParams.set("since", "0");
	const socket = new WebSocket(url.href, socketProtocols(joined.token));
	const received: string[] = [];
	const waiters = new Waiters();
	const keep = (event: MessageEvent) => {
		if (typeof event.data === "string") received.push(event.data);
		waiters.wake();
	};
	socket.addEventListener("message", keep);
	return {
		socket,
		received,
		release: () => socket.removeEventListener("message", keep),
		has: async (test) => {
			await waiters.until(() => test(received), "the early socket's frames", 10_000);
		},
	};
}

describe("the typed client from Node 22", () => {
	it("takes over a socket opened before it, with the frames it already had, and opens its own instead of one that closed", async () => {
		const theCase = await call<CaseRecord>("/api/cases", { subject: "Early socket" }, true);
		const started = await call<StartedSession>(`/api/cases/${theCase.caseId}/sessions`, {}, true);
		const customerJoin = await call<Joined>("/api/join", { supportKey: started.supportKey }, false);
		const agent = new SessionClient({ baseUrl: server.url, joined: await call<Joined>(`/api/sessions/${started.sessionId}/agent`, {}, true) });
		const a = watch(agent);
		agent.connect();
		await a.until(() => agent.status === "open", "the agent to connect");
		agent.send("written before the customer's page started");
		await a.until(() => a.texts().length === 1, "the agent's message");

		const early = openEarly(customerJoin);
		await early.has((frames) => frames.some((f) => f.includes('"type":"state"')) && frames.some((f) => f.includes("written before")));
		const customer = new SessionClient({ baseUrl: server.url, joined: customerJoin, opened: early });
		const c = watch(customer);
		customer.connect();
		// Live at once, from the state frame the socket had already received, and on that socket.
		expect(customer.status).toBe("open");
		expect(c.texts()).toEqual(["written before the customer's page started"]);
		expect((customer as unknown as { socket: WebSocket }).socket).toBe(early.socket);
		customer.send("on the early socket");
		await a.until(() => a.texts().includes("on the early socket"), "the customer's message");

		const closed = openEarly(customerJoin);
		await closed.has((frames) => frames.some((f) => f.includes('"type":"state"')));
		const gone = new Promise((resolve) => closed.socket.addEventListener("close", resolve));
		closed.socket.close(1000, "page went away");
		await gone;
		const again = new SessionClient({ baseUrl: server.url, joined: customerJoin, opened: closed });
		const g = watch(again);
		again.connect();
		await g.until(() => again.status === "open" && g.texts().length === 2, "a socket of its own");
		expect((again as unknown as { socket: WebSocket }).socket).not.toBe(closed.socket);
		expect(g.texts()).toEqual(["written before the customer's page started", "on the early socket"]);
		for (const client of [customer, again, agent]) client.close();
	});

	it("chats, survives a dropped connection and resends without duplicates", async () => {
		const theCase = await call<CaseRecord>("/api/cases", { subject: "Client test" }, true);
		const started = await call<StartedSession>(`/api/cases/${theCase.caseId}/sessions`, {}, true);
		const customerJoin = await call<Joined>("/api/join", { supportKey: started.supportKey }, false);
		const agentJoin = await call<Joined>(`/api/sessions/${started.sessionId}/agent`, {}, true);

		const customer = new SessionClient({ baseUrl: server.url, joined: customerJoin, minRetryMs: 50 });
		const agent = new SessionClient({ baseUrl: server.url, joined: agentJoin, minRetryMs: 50 });
		const c = watch(customer);
		const a = watch(agent);
		customer.connect();
		agent.connect();
		await c.until(() => customer.status === "open", "the customer to connect");
		await a.until(() => agent.status === "open", "the agent to connect");

		const firstId = customer.send("first");
		await a.until(() => a.texts().length === 1, "the first message");
		// Its own event acknowledges it: the page hears an ack with its number, right after the event.
		await c.until(() => c.updates.some((u) => u.type === "ack"), "the first message's ack");
		const ackAt = c.updates.findIndex((u) => u.type === "ack");
		expect(c.updates[ackAt]).toEqual({ type: "ack", clientId: firstId, seq: c.events.find((e) => e.type === "message" && e.clientId === firstId)?.seq, duplicate: false });
		expect(c.updates[ackAt - 1]).toMatchObject({ type: "event", event: { type: "message", clientId: firstId } });
		expect(customer.pendingMessages()).toEqual([]);

		// Drop the customer's socket from under it; send while it is away, and resend a known id.
		const reconnecting = c.until(() => customer.status === "reconnecting", "the drop to be noticed");
		(customer as unknown as { socket: WebSocket }).socket.close(4001, "simulated drop");
		await reconnecting;
		agent.send("while you were away");
		const again = customer.send("queued during the drop", "fixed-id-1");
		expect(customer.pendingMessages()).toContainEqual({ clientId: again, text: "queued during the drop" });

		await c.until(() => c.texts().length === 3, "the customer to catch up");
		await a.until(() => a.texts().length === 3, "the queued message");
		customer.send("queued during the drop", "fixed-id-1");
		agent.send("last");
		await c.until(() => c.texts().includes("last"), "the last message");
		await a.until(() => a.texts().includes("last"), "the agent's own last message");

		expect(c.texts()).toEqual(["first", "while you were away", "queued during the drop", "last"]);
		expect(a.texts()).toEqual(c.texts());
		const seqs = c.events.map((e) => e.seq);
		expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
		expect(customer.pendingMessages()).toEqual([]);

		agent.endChat();
		await c.until(() => customer.status === "closed", "the chat to end");
		expect(customer.state?.status).toBe("ended");
		agent.close();
	});

	it("keeps everyone in its people list when the session tells it of one person coming or going", async () => {
		const theCase = await call<CaseRecord>("/api/cases", { subject: "People list" }, true);
		const started = await call<StartedSession>(`/api/cases/${theCase.caseId}/sessions`, {}, true);
		const customerJoin = await call<Joined>("/api/join", { supportKey: started.supportKey }, false);
		const agentJoin = await call<Joined>(`/api/sessions/${started.sessionId}/agent`, {}, true);
		const agent = new SessionClient({ baseUrl: server.url, joined: agentJoin });
		const a = watch(agent);
		agent.connect();
		await a.until(() => agent.status === "open", "the agent to connect");
		const online = (id: string) => agent.state?.participants.find((p) => p.id === id)?.online;
		expect(online(customerJoin.participantId)).toBe(false);

		const customer = new SessionClient({ baseUrl: server.url, joined: customerJoin });
		customer.connect();
		await a.until(() => online(customerJoin.participantId) === true, "the customer shown online");
		customer.close();
		await a.until(() => online(customerJoin.participantId) === false, "the customer shown gone");
		// Each change came as one person's entry; the list the page draws still has both.
		expect(agent.state?.participants.map((p) => p.id).sort()).toEqual([agentJoin.participantId, customerJoin.participantId].sort());
		const last = a.updates.filter((u) => u.type === "presence").at(-1);
		expect(last?.type === "presence" ? last.participants.map((p) => [p.id, p.online]) : null).toEqual(agent.state?.participants.map((p) => [p.id, p.online]));
		agent.close();
	});
});
