/**
 * A chat that ends closes every socket at once, over real TCP (wrangler dev): a live socket of the
 * session's own clients (which ping as soon as they are in), and a late reconnect to a chat that
 * has already ended, whatever its client sends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { CaseRecord, Joined, StartedSession } from "../../src/shared/api";
import { socketProtocols } from "../../src/shared/socket-auth";
import type { DevServer } from "../support/dev-server";
import { startDevServer } from "../support/dev-server";
import { apiCall } from "../support/http";

let server: DevServer;
beforeAll(async () => {
	server = await startDevServer();
});
afterAll(async () => {
	await server?.stop();
});

async function joinedChat(): Promise<{ started: StartedSession; joined: Joined }> {
	const created = await apiCall<CaseRecord>(server.url, "/api/cases", { body: { subject: "Router", severity: "low", customer: { name: "Dana" } }, agent: true });
	const started = await apiCall<StartedSession>(server.url, `/api/cases/${created.caseId}/sessions`, { body: {}, agent: true });
	const joined = await apiCall<Joined>(server.url, "/api/join", { body: { supportKey: started.supportKey } });
	return { started, joined };
}

/** Opens the chat socket and records when `chat_ended` arrived and when the socket closed; `pingFirst` as SessionClient and the pages do. */
function open(joined: Joined, pingFirst: boolean) {
	const ws = new WebSocket(server.url.replace(/^http/, "ws") + joined.webSocketPath, socketProtocols(joined.token), { origin: server.url });
	const times = { ended: 0, closed: 0, code: 0 };
	ws.on("message", (data) => {
		const text = String(data);
		if (pingFirst && text.startsWith('{"type":"state"')) ws.send(JSON.stringify({ type: "ping" }));
		if (text.includes('"chat_ended"')) times.ended = performance.now();
	});
	const opened = new Promise<void>((resolve, reject) => {
		ws.once("open", () => resolve());
		ws.once("error", reject);
	});
	const closed = new Promise<typeof times>((resolve) =>
		ws.once("close", (code) => {
			times.closed = performance.now();
			times.code = code;
			resolve(times);
		}),
	);
	return { opened, closed };
}

describe("a chat that ends", () => {
	it("closes a live client's socket within moments of chat_ended, not when the object next hibernates", async () => {
		const { started, joined } = await joinedChat();
		const socket = open(joined, true);
		await socket.opened;
		await apiCall(server.url, `/api/sessions/${started.sessionId}/end`, { body: {}, agent: true });
		const times = await socket.closed;
		expect(times.code).toBe(1000);
		expect(times.ended).toBeGreaterThan(0);
		expect(times.closed - times.ended).toBeLessThan(3000);
	});

	it("closes a late reconnect within moments of the replay", async () => {
		const { started, joined } = await joinedChat();
		await apiCall(server.url, `/api/sessions/${started.sessionId}/end`, { body: {}, agent: true });
		const late = open(joined, false);
		const times = await late.closed;
		expect(times.code).toBe(1000);
		expect(times.ended).toBeGreaterThan(0);
		expect(times.closed - times.ended).toBeLessThan(3000);
	});
});
