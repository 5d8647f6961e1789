import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionClient } from "../../src/client/session-client";
import type { CaseRecord, Joined, StartedSession } from "../../src/shared/api";
import type { DevServer } from "../support/dev-server";
import { startDevServer } from "../support/dev-server";
import { apiCall } from "../support/http";
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

describe("the typed client from Node 22", () => {
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

		customer.send("first");
		await a.until(() => a.texts().length === 1, "the first message");

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
});
