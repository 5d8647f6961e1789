import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { QueueEntry } from "../../src/shared/queue";
import { parseQueueFrame } from "../../src/shared/queue";
import { AGENT_TOKEN, ORIGIN, TestClient, api, joinAsAgent, joinAsCustomer, newSession } from "./helpers";

function openQueue(headers: Record<string, string>): Promise<Response> {
	return exports.default.fetch(new Request(`${ORIGIN}/api/queue/ws`, { headers }));
}

/** A console's view of the queue: every frame it received, in order. */
async function watchQueue(): Promise<{ frames: QueueEntry[][]; latest: () => QueueEntry[]; close: () => void }> {
	const response = await openQueue({ Upgrade: "websocket", Authorization: `Bearer ${AGENT_TOKEN}`, Origin: ORIGIN });
	const socket = response.webSocket;
	if (!socket) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
	socket.accept();
	const frames: QueueEntry[][] = [];
	socket.addEventListener("message", (event) => {
		const frame = parseQueueFrame(typeof event.data === "string" ? event.data : "");
		if (!frame) throw new Error(`not a queue frame: ${String(event.data)}`);
		frames.push(frame.queue);
	});
	await vi.waitFor(() => expect(frames.length).toBeGreaterThan(0), { timeout: 4000 });
	return { frames, latest: () => frames.at(-1) ?? [], close: () => socket.close(1000, "test done") };
}

const ids = (queue: QueueEntry[]) => queue.map((entry) => entry.sessionId);

describe("the live queue", () => {
	it("refuses non-agents, plain requests and other origins", async () => {
		expect((await openQueue({ Upgrade: "websocket" })).status).toBe(401);
		expect((await openQueue({ Authorization: `Bearer ${AGENT_TOKEN}` })).status).toBe(426);
		expect((await openQueue({ Upgrade: "websocket", Authorization: `Bearer ${AGENT_TOKEN}`, Origin: "https://evil.example" })).status).toBe(403);
	});

	it("sends the queue on connect and again when a customer starts waiting and when an agent picks the chat", async () => {
		const queued = await newSession();
		await joinAsCustomer(queued);
		// The session tells the directory after the join has been answered.
		await vi.waitFor(async () => expect(ids((await (await api("/api/queue")).json<{ queue: QueueEntry[] }>()).queue)).toContain(queued.sessionId), { timeout: 4000 });
		const consoleView = await watchQueue();
		const first = consoleView.latest();
		expect(ids(first)).toContain(queued.sessionId);
		expect(first.find((e) => e.sessionId === queued.sessionId)).toMatchObject({ caseId: queued.caseId, subject: "Printer on fire", severity: "high", previousAgent: null });

		const arriving = await newSession();
		const before = consoleView.frames.length;
		await joinAsCustomer(arriving);
		await vi.waitFor(() => expect(ids(consoleView.latest())).toContain(arriving.sessionId), { timeout: 4000 });
		expect(consoleView.frames.length).toBe(before + 1);
		// Longest wait first.
		expect(ids(consoleView.latest()).indexOf(queued.sessionId)).toBeLessThan(ids(consoleView.latest()).indexOf(arriving.sessionId));

		await joinAsAgent(arriving.sessionId);
		await vi.waitFor(() => expect(ids(consoleView.latest())).not.toContain(arriving.sessionId), { timeout: 4000 });
		expect(ids(consoleView.latest())).toContain(queued.sessionId);
		consoleView.close();
	});

	it("stays quiet when a change leaves the queue as it was", async () => {
		const consoleView = await watchQueue();
		const started = await newSession();
		const agent = await TestClient.connect(await joinAsAgent(started.sessionId));
		await agent.frameOf("state");
		// The agent is there first, so the customer's arrival makes the chat active, never waiting.
		await joinAsCustomer(started);
		await agent.until(() => agent.events.some((e) => e.type === "joined" && e.actor?.role === "customer"), "the customer");
		const marker = await newSession();
		await joinAsCustomer(marker);
		await vi.waitFor(() => expect(ids(consoleView.latest())).toContain(marker.sessionId), { timeout: 4000 });
		expect(consoleView.frames.flatMap(ids)).not.toContain(started.sessionId);
		expect(consoleView.frames.length).toBe(2);
		agent.close();
		consoleView.close();
	});
});
