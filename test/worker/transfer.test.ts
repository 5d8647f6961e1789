/** Handing a chat to another agent (who accepts from their console) or back to the queue. */
import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { QueueEntry } from "../../src/shared/queue";
import { parseQueueFrame } from "../../src/shared/queue";
import type { SessionState } from "../../src/shared/protocol";
import type { AgentList, TransferOfferEntry } from "../../src/shared/transfer";
import { parseTransfersFrame } from "../../src/shared/transfer";
import { TRANSFER_OFFER_MS } from "../../src/session/transfer";
import { COLLEAGUE_TOKEN, ORIGIN, TestClient, api, joinAsAgent, joinAsCustomer, newSession, openSocket, timePasses } from "./helpers";

/** A console's live feed, as the agent with `token` has it open: the queue and the chats offered to them. */
async function openConsole(token: string) {
	const response = await exports.default.fetch(new Request(`${ORIGIN}/api/queue/ws`, { headers: { Upgrade: "websocket", Authorization: `Bearer ${token}`, Origin: ORIGIN } }));
	const socket = response.webSocket;
	if (!socket) throw new Error(`upgrade refused: ${response.status}`);
	socket.accept();
	const offers: TransferOfferEntry[][] = [];
	const queues: QueueEntry[][] = [];
	socket.addEventListener("message", (event) => {
		const raw = typeof event.data === "string" ? event.data : "";
		const transfers = parseTransfersFrame(raw);
		if (transfers) offers.push(transfers.offers);
		const queue = parseQueueFrame(raw);
		if (queue) queues.push(queue.queue);
	});
	await vi.waitFor(() => expect(queues.length).toBe(1), { timeout: 4000 });
	return { offers: () => offers.at(-1) ?? [], queue: () => queues.at(-1) ?? [], close: () => socket.close(1000, "test done") };
}

const asColleague = { agent: false, headers: { Authorization: `Bearer ${COLLEAGUE_TOKEN}` } } as const;
const transfer = (sessionId: string, body: unknown, init: RequestInit & { agent?: boolean } = {}) =>
	api(`/api/sessions/${sessionId}/transfer`, { ...init, method: "POST", body: JSON.stringify(body) });
const answer = (sessionId: string, what: "accept" | "decline" | "cancel", init: RequestInit & { agent?: boolean } = asColleague) =>
	api(`/api/sessions/${sessionId}/transfer/${what}`, { ...init, method: "POST" });
const queued = async () => (await (await api("/api/queue")).json<{ queue: QueueEntry[] }>()).queue;
const caseStatus = async (caseId: string) => (await (await api(`/api/cases/${caseId}`)).json<{ session: { status: string } }>()).session.status;

/** A customer and the dev agent chatting, and the colleague's console open. */
async function chatAndColleague() {
	const started = await newSession();
	const customer = await TestClient.connect(await joinAsCustomer(started));
	const agentJoin = await joinAsAgent(started.sessionId);
	const agent = await TestClient.connect(agentJoin);
	await agent.frameOf("state");
	const colleagueConsole = await openConsole(COLLEAGUE_TOKEN);
	return { started, customer, agent, agentJoin, colleagueConsole };
}

describe("transfer to another agent", () => {
	it("is refused to an agent who does not exist or has no console open, and to yourself", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await joinAsAgent(started.sessionId);
		await vi.waitFor(async () => expect((await (await api("/api/agents")).json<AgentList>()).agents).toEqual([{ name: "colleague", online: false }]));
		const nobody = await transfer(started.sessionId, { to: "agent", agent: "nobody" });
		expect(nobody.status).toBe(404);
		expect(await nobody.json()).toEqual({ error: "there is no agent called nobody" });
		const offline = await transfer(started.sessionId, { to: "agent", agent: "colleague" });
		expect(offline.status).toBe(409);
		expect(await offline.json()).toEqual({ error: "colleague has no console open, so they cannot be offered the chat" });
		const self = await transfer(started.sessionId, { to: "agent", agent: "dev-agent" });
		expect(self.status).toBe(409);
		expect((await transfer(started.sessionId, { to: "somewhere" })).status).toBe(422);
		// From outside the chat: join it first.
		expect((await transfer(started.sessionId, { to: "queue" }, asColleague)).status).toBe(403);
	});
	it("is offered in the target's console; until they accept the offering agent holds the chat; accepting hands it over in one step", async () => {
		const { started, customer, agent, agentJoin, colleagueConsole } = await chatAndColleague();
		const others = await (await api("/api/agents")).json<AgentList>();
		expect(others.agents).toEqual([{ name: "colleague", online: true }]);

		const framesBefore = customer.frames.length;
		const offered = await transfer(started.sessionId, { to: "agent", agent: "colleague" });
		expect(offered.status).toBe(200);
		await vi.waitFor(() => expect(colleagueConsole.offers()).toHaveLength(1));
		expect(colleagueConsole.offers()[0]).toMatchObject({ sessionId: started.sessionId, caseId: started.caseId, subject: "Printer on fire", customerName: "Dana", from: "dev-agent" });
		await agent.until(() => agent.events.find((e) => e.type === "transfer_offered"), "the offer in the agent's log");
		// The customer learns that an offer was made, not to whom.
		const seenByCustomer = await customer.until(() => customer.events.find((e) => e.type === "transfer_offered"), "the offer");
		expect(seenByCustomer).toMatchObject({ to: { id: "", name: "" } });

		// Still the offering agent's chat: they hear the customer, and it is not in the queue.
		customer.say("c-1", "Are you still there?");
		await agent.until(() => agent.messages().includes("Are you still there?"), "the customer's message");

		const accepted = await answer(started.sessionId, "accept");
		expect(accepted.status).toBe(200);
		const state = await accepted.json<SessionState>();
		expect(state.status).toBe("active");
		expect(state.participants.filter((p) => p.present).map((p) => p.name).sort()).toEqual(["Dana", "colleague"]);
		await vi.waitFor(() => expect(colleagueConsole.offers()).toEqual([]));

		// The offering agent's socket hears of the handover, then closes; their token no longer gets in.
		expect(await agent.untilClosed()).toEqual({ code: 1000, reason: "handed over" });
		const handedOver = agent.events.at(-1);
		expect(handedOver).toMatchObject({ type: "transferred", from: { id: "agent:dev-agent", name: "dev-agent" }, to: { id: "agent:colleague", name: "colleague" } });
		expect((await openSocket(agentJoin)).status).toBe(403);

		// Everyone sees the same event; the customer never saw the chat waiting.
		await customer.until(() => customer.events.some((e) => e.type === "transferred"), "the handover");
		expect(customer.events.find((e) => e.type === "transferred")).toEqual(handedOver);
		const statuses = customer.frames.slice(framesBefore).flatMap((f) => (f.type === "presence" ? [f.status] : []));
		expect(statuses).not.toContain("waiting");

		// The new agent joins from the console and has the whole chat, and everything after it.
		const colleague = await TestClient.connect(await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN));
		await colleague.until(() => colleague.messages().includes("Are you still there?"), "the history");
		customer.say("c-2", "Hello colleague");
		await colleague.until(() => colleague.messages().includes("Hello colleague"), "the next message");
		expect(colleague.messages()).toEqual(["Are you still there?", "Hello colleague"]);
		expect((await queued()).map((q) => q.sessionId)).not.toContain(started.sessionId);
		expect(await caseStatus(started.caseId)).toBe("active");

		// Routing after a return uses the latest holder: the colleague, not the agent who handed it over.
		colleague.send({ type: "leave" });
		await customer.until(() => customer.events.some((e) => e.type === "agent_away"), "the agent away");
		customer.say("c-3", "Hey, I'm back");
		await vi.waitFor(async () => expect((await queued()).find((q) => q.sessionId === started.sessionId)).toMatchObject({ previousAgent: "colleague" }), { timeout: 4000 });
		colleagueConsole.close();
	});

	it("declined, cancelled or unanswered, the chat stays with the offering agent", async () => {
		const { started, customer, agent, colleagueConsole } = await chatAndColleague();
		const offer = () => transfer(started.sessionId, { to: "agent", agent: "colleague" });

		expect((await offer()).status).toBe(200);
		const twice = await offer();
		expect(twice.status).toBe(409);
		expect(await twice.json()).toEqual({ error: "this chat is already offered to colleague: cancel that offer first" });
		// Only whom it is offered to answers it, and only who offered it cancels it.
		expect((await answer(started.sessionId, "accept", {})).status).toBe(409);
		expect((await answer(started.sessionId, "cancel")).status).toBe(403);
		expect((await answer(started.sessionId, "decline")).status).toBe(200);
		await vi.waitFor(() => expect(colleagueConsole.offers()).toEqual([]));

		expect((await offer()).status).toBe(200);
		await vi.waitFor(() => expect(colleagueConsole.offers()).toHaveLength(1));
		expect((await answer(started.sessionId, "cancel", {})).status).toBe(200);
		await vi.waitFor(() => expect(colleagueConsole.offers()).toEqual([]));

		expect((await offer()).status).toBe(200);
		// A console opened now (a reload, another tab) is told of the offer on connect.
		const another = await openConsole(COLLEAGUE_TOKEN);
		await vi.waitFor(() => expect(another.offers().map((o) => o.sessionId)).toEqual([started.sessionId]));
		another.close();
		await timePasses(started.sessionId, TRANSFER_OFFER_MS);
		const late = await answer(started.sessionId, "accept");
		expect(late.status).toBe(409);
		expect(await late.json()).toEqual({ error: "this chat is not offered to you any more: the offer was cancelled, declined or has expired" });
		await vi.waitFor(() => expect(colleagueConsole.offers()).toEqual([]));

		await agent.until(() => agent.events.filter((e) => e.type === "transfer_withdrawn").length === 3, "three withdrawals");
		expect(agent.events.flatMap((e) => (e.type === "transfer_withdrawn" ? [e.reason] : []))).toEqual(["declined", "cancelled", "expired"]);
		// Nothing changed hands: the agent is still in the chat and hears the customer.
		customer.say("c-1", "Still with you?");
		await agent.until(() => agent.messages().includes("Still with you?"), "the customer's message");
		expect(agent.closed).toBeNull();
		expect(agent.events.some((e) => e.type === "transferred")).toBe(false);
		colleagueConsole.close();
	});

});

describe("transfer back to the queue", () => {
	it("takes the agent out at once: the chat is waiting and in the queue, for anyone, and everyone sees why", async () => {
		const started = await newSession();
		const customer = await TestClient.connect(await joinAsCustomer(started));
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		await agent.frameOf("state");
		const colleagueConsole = await openConsole(COLLEAGUE_TOKEN);

		const back = await transfer(started.sessionId, { to: "queue" });
		expect(back.status).toBe(200);
		expect(await back.json()).toMatchObject({ status: "waiting", previousAgent: null });
		expect(await agent.untilClosed()).toEqual({ code: 1000, reason: "back to the queue" });
		const event = await customer.until(() => customer.events.find((e) => e.type === "transferred"), "the event");
		expect(event).toMatchObject({ actor: { name: "dev-agent" }, from: { name: "dev-agent" }, to: null });
		expect(agent.events.at(-1)).toEqual(event);
		await customer.until(() => customer.frames.some((f) => f.type === "presence" && f.status === "waiting"), "the waiting status");

		await vi.waitFor(() => expect(colleagueConsole.queue().find((q) => q.sessionId === started.sessionId)).toMatchObject({ caseId: started.caseId, previousAgent: null }), { timeout: 4000 });
		expect(await caseStatus(started.caseId)).toBe("waiting");
		// Taken from the queue by another agent, it is theirs.
		await TestClient.connect(await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN));
		await vi.waitFor(() => expect(colleagueConsole.queue().map((q) => q.sessionId)).not.toContain(started.sessionId), { timeout: 4000 });
		expect(await caseStatus(started.caseId)).toBe("active");
		colleagueConsole.close();
	});

	it("is refused while a colleague is in the chat too, or nobody is there to wait", async () => {
		const started = await newSession();
		await joinAsCustomer(started);
		await joinAsAgent(started.sessionId);
		await joinAsAgent(started.sessionId, COLLEAGUE_TOKEN);
		const refused = await transfer(started.sessionId, { to: "queue" });
		expect(refused.status).toBe(409);
		expect(await refused.json()).toEqual({ error: "another agent is in this chat: hand it to them instead, or they leave first" });

		const pending = await newSession();
		await joinAsAgent(pending.sessionId);
		expect(await (await transfer(pending.sessionId, { to: "queue" })).json()).toEqual({ error: "the customer is not in this chat: there is nobody to put in the queue" });
	});
});
