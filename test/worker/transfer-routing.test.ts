/**
 * A chat handed from one agent to another is the new agent's for routing too: when they leave and
 * the customer comes back, the team's router offers it to them, not to the agent who handed it over.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { Joined } from "../../src/shared/api";
import { parseTransfersFrame } from "../../src/shared/transfer";
import { COLLEAGUE_TOKEN, ORIGIN, TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";
import { AgentConsole, accept } from "./routing-helpers";

/** The colleague's console feed (the queue socket), where offers of a transfer arrive. */
async function transferFeed(token: string) {
	const response = await exports.default.fetch(new Request(`${ORIGIN}/api/queue/ws`, { headers: { Upgrade: "websocket", Authorization: `Bearer ${token}`, Origin: ORIGIN } }));
	const socket = response.webSocket;
	if (!socket) throw new Error(`upgrade refused: ${response.status}`);
	socket.accept();
	let offered: string[] = [];
	socket.addEventListener("message", (event) => {
		const frame = parseTransfersFrame(typeof event.data === "string" ? event.data : "");
		if (frame) offered = frame.offers.map((o) => o.sessionId);
	});
	return { offered: () => offered, close: () => socket.close(1000, "test done") };
}

const asColleague = { agent: false, headers: { Authorization: `Bearer ${COLLEAGUE_TOKEN}` } } as const;

describe("routing after a transfer", () => {
	it("offers the returning customer to the agent the chat was handed to, not to the agent who handed it over", async () => {
		const agentConsole = await AgentConsole.open("desk");
		const colleagueConsole = await AgentConsole.open("desk", COLLEAGUE_TOKEN);
		const feed = await transferFeed(COLLEAGUE_TOKEN);
		const started = await newSession();
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		await agent.frameOf("state");
		const customer = await TestClient.connect(await joinAsCustomer(started));
		await customer.frameOf("state");

		// dev-agent hands the chat to the colleague, who accepts and joins.
		const offered = await api(`/api/sessions/${started.sessionId}/transfer`, { method: "POST", body: JSON.stringify({ to: "agent", agent: "colleague" }) });
		expect(offered.status).toBe(200);
		await vi.waitFor(() => expect(feed.offered()).toEqual([started.sessionId]), { timeout: 4000 });
		expect((await api(`/api/sessions/${started.sessionId}/transfer/accept`, { ...asColleague, method: "POST" })).status).toBe(200);
		expect(await agent.untilClosed()).toEqual({ code: 1000, reason: "handed over" });
		const colleague = await TestClient.connect(await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN));
		await colleague.until(() => colleague.events.some((e) => e.type === "transferred"), "the handover in the colleague's log");

		// The colleague leaves; the customer comes back.
		colleague.send({ type: "leave" });
		await customer.until(() => customer.events.some((e) => e.type === "agent_away"), "the colleague leaving");
		customer.say("back", "Hey, I'm back");
		await colleagueConsole.until((f) => f.offers.some((o) => o.sessionId === started.sessionId), "the offer to the colleague");
		expect(agentConsole.offered()).not.toContain(started.sessionId);

		// Taking it puts the colleague back in the chat, with the customer's return in it.
		const joined = await (await accept("desk", started.sessionId, COLLEAGUE_TOKEN)).json<Joined>();
		expect(joined).toMatchObject({ sessionId: started.sessionId, role: "agent", participantId: "agent:colleague" });
		const back = await TestClient.connect(joined);
		await back.until(() => back.messages().includes("Hey, I'm back"), "the customer's message");
		expect(agentConsole.offered()).not.toContain(started.sessionId);
		back.close();
		customer.close();
		feed.close();
		colleagueConsole.close();
		agentConsole.close();
	});
});
