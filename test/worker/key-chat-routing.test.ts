/**
 * A chat an agent starts with a support key goes through its team's router too (the agent's
 * home queue, team "desk" in the tests): its customer waiting without an agent is offered to the
 * agent who started it or had it first, and otherwise to the next available agent.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Joined, StartedSession } from "../../src/shared/api";
import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { COLLEAGUE_TOKEN, ORIGIN, TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";
import type { TeamRouter } from "../../src/routing/team-router";
import { AgentConsole, accept, decline, routerStub } from "./routing-helpers";

/** Whose the team router counts a chat as. */
function holderOf(sessionId: string): Promise<{ state: string; agent: string | null } | undefined> {
	return runInDurableObject(routerStub("desk"), (_router: TeamRouter, state) => state.storage.sql.exec<{ state: string; agent: string | null }>("SELECT state, agent FROM chats WHERE session_id = ?", sessionId).toArray()[0]);
}

/** The agent's console feed (queue and transfers): a transfer is offered only to an agent who has it open. */
async function openQueueFeed(token: string): Promise<WebSocket> {
	const response = await exports.default.fetch(new Request(`${ORIGIN}/api/queue/ws`, { headers: { Upgrade: "websocket", Authorization: `Bearer ${token}`, Origin: ORIGIN } }));
	if (!response.webSocket) throw new Error(`queue feed refused: ${response.status}`);
	response.webSocket.accept();
	return response.webSocket;
}

/** The chats a test started: each test ends its own, so that none waits on into the next one's offers. */
const opened: string[] = [];

async function keyChat(): Promise<StartedSession> {
	const started = await newSession();
	opened.push(started.sessionId);
	return started;
}

afterEach(async () => {
	for (const sessionId of opened.splice(0)) {
		await api(`/api/sessions/${sessionId}/end`, { method: "POST" });
		await vi.waitFor(async () => expect(await holderOf(sessionId)).toBeUndefined(), { timeout: 4000 });
	}
});

describe("routing a chat started with a support key", () => {
	it("offers the waiting customer to the agent who started it, before a colleague idle longer, and to the colleague once they decline", async () => {
		const colleague = await AgentConsole.open("desk", COLLEAGUE_TOKEN);
		const agent = await AgentConsole.open("desk");
		const started = await keyChat();
		// Nobody is offered a chat whose customer has not come yet.
		expect(agent.offered()).toEqual([]);

		const customer = await TestClient.connect(await joinAsCustomer(started));
		await agent.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer to the agent who started it");
		expect(colleague.offered()).toEqual([]);

		expect((await decline("desk", started.sessionId)).status).toBe(200);
		await colleague.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer to the colleague");
		const joined = await (await accept("desk", started.sessionId, COLLEAGUE_TOKEN)).json<Joined>();
		expect(joined).toMatchObject({ sessionId: started.sessionId, role: "agent" });
		await colleague.until((f) => f.load === 1 && f.offers.length === 0, "the chat counted as the colleague's");
		customer.close();
		agent.close();
		colleague.close();
	});

	it("is the agent's while they are in it, and comes back to them when the customer returns after they left", async () => {
		const agent = await AgentConsole.open("desk");
		const started = await keyChat();
		const agentSocket = await TestClient.connect(await joinAsAgent(started.sessionId));
		await agent.until((f) => f.load === 1, "the chat counted as the agent's");
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await customer.frameOf("state");

		agentSocket.send({ type: "leave" });
		await customer.until(() => customer.events.some((e) => e.type === "agent_away"), "the agent leaving");
		await agent.until((f) => f.load === 0, "the chat no longer the agent's");
		customer.say("back-1", "Are you still there?");
		const offered = await agent.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer back to the agent");
		expect(offered.offers.find((o) => o.sessionId === started.sessionId)).toMatchObject({ caseId: started.caseId, team: "desk", queue: "general" });
		customer.close();
		agentSocket.close();
		agent.close();
	});

	it("counts a chat handed over against the agent who accepted it, no longer against the one who offered it", async () => {
		const agent = await AgentConsole.open("desk");
		const colleague = await AgentConsole.open("desk", COLLEAGUE_TOKEN);
		const started = await keyChat();
		const agentSocket = await TestClient.connect(await joinAsAgent(started.sessionId));
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await vi.waitFor(async () => expect(await holderOf(started.sessionId)).toEqual({ state: "assigned", agent: "dev-agent" }), { timeout: 4000 });
		const feed = await openQueueFeed(COLLEAGUE_TOKEN);
		const offered = await api(`/api/sessions/${started.sessionId}/transfer`, { method: "POST", body: JSON.stringify({ to: "agent", agent: "colleague" }) });
		expect(offered.status).toBe(200);
		const accepted = await api(`/api/sessions/${started.sessionId}/transfer/accept`, { method: "POST", agent: false, headers: { Authorization: `Bearer ${COLLEAGUE_TOKEN}` } });
		expect(accepted.status).toBe(200);
		expect(await holderOf(started.sessionId)).toEqual({ state: "assigned", agent: "colleague" });
		await colleague.until((f) => f.load >= 1, "the colleague's console counting it");
		feed.close();
		customer.close();
		agentSocket.close();
		agent.close();
		colleague.close();
	});

	it("is no longer the agent's once they leave it before the customer comes, and is offered to them first when the customer does", async () => {
		const colleague = await AgentConsole.open("desk", COLLEAGUE_TOKEN);
		const agent = await AgentConsole.open("desk");
		const started = await keyChat();
		// The console joins a new chat at once, as it does when an agent starts one.
		const agentSocket = await TestClient.connect(await joinAsAgent(started.sessionId));
		await vi.waitFor(async () => expect(await holderOf(started.sessionId)).toEqual({ state: "assigned", agent: "dev-agent" }), { timeout: 4000 });
		agentSocket.send({ type: "leave" });
		await agentSocket.untilClosed();
		await vi.waitFor(async () => expect(await holderOf(started.sessionId)).toEqual({ state: "away", agent: null }), { timeout: 4000 });

		const customer = await TestClient.connect(await joinAsCustomer(started));
		await agent.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer to the agent who started it");
		expect(colleague.offered()).not.toContain(started.sessionId);
		customer.close();
		agent.close();
		colleague.close();
	});

	it("does not route a customer back to an agent who was removed, and their accept passes the offer on", async () => {
		const started = await keyChat();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const colleagueSocket = await TestClient.connect(await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN));
		await colleagueSocket.frameOf("state");
		// The dev agent removes the colleague from outside the chat: nobody is left to wait for.
		expect((await api(`/api/sessions/${started.sessionId}/people/agent:colleague/remove`, { method: "POST" })).status).toBe(200);
		await colleagueSocket.untilClosed();
		const state = await (await api(`/api/sessions/${started.sessionId}`)).json<{ previousAgent: string | null }>();
		expect(state.previousAgent).toBeNull();

		const colleague = await AgentConsole.open("desk", COLLEAGUE_TOKEN);
		customer.say("still-here", "Hello? Anyone?");
		await vi.waitFor(async () => expect(await holderOf(started.sessionId)).toMatchObject({ state: "waiting" }), { timeout: 4000 });
		// The only console open is the colleague's, so the router offers it there; the session refuses them, and the offer goes on.
		await colleague.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer by availability alone");
		const refused = await accept("desk", started.sessionId, COLLEAGUE_TOKEN);
		expect(refused.status).toBe(403);
		expect(await refused.json()).toEqual({ error: "you were removed from this chat" });
		await colleague.until((f) => !f.offers.some((o) => o.sessionId === started.sessionId), "the offer withdrawn");
		const agent = await AgentConsole.open("desk");
		await agent.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer to the agent who may take it");
		customer.close();
		agent.close();
		colleague.close();
	});
});
